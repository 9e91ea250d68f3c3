"""Training: the first-stage autoencoder and SDSeg itself, both on accelerate."""
