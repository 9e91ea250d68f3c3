"""Evaluation: overlap metrics and scoring a prediction folder against ground truth."""
