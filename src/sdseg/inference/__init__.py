"""Inference: from a trained model folder to masks on disk at each input's own size."""
