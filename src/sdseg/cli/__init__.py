"""Command line: one sub-command per stage (demo, train-autoencoder, train, predict, evaluate)."""
