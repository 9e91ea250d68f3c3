"""A viewable overlay: the image with the mask tinted red and its outline in yellow."""

from __future__ import annotations

import numpy as np


def outline(mask: np.ndarray) -> np.ndarray:
    """Pixels of ``mask`` with at least one 4-neighbour outside it."""
    padded = np.pad(mask.astype(bool), 1)
    interior = padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:]
    return mask.astype(bool) & ~interior


def overlay(image: np.ndarray, mask: np.ndarray, alpha: float = 0.4) -> np.ndarray:
    """uint8 RGB (H, W, 3) + binary (H, W) -> uint8 RGB overlay."""
    result = image.astype(np.float32)
    inside = mask.astype(bool)
    result[inside] = (1 - alpha) * result[inside] + alpha * np.array([255.0, 0.0, 0.0])
    result[outline(mask)] = (255.0, 255.0, 0.0)
    return result.round().astype(np.uint8)
