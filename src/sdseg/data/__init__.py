"""Data: reading images and masks, 2D dataset folders, and the synthetic demo set."""
