"""A viewable overlay: the image with each class tinted in its own colour and outlined in yellow."""

from __future__ import annotations

import numpy as np

PALETTE = np.array([(255, 0, 0), (0, 200, 0), (0, 90, 255), (255, 0, 255), (0, 220, 220), (255, 140, 0)], float)


def outline(mask: np.ndarray) -> np.ndarray:
    """Pixels of ``mask`` with at least one 4-neighbour outside it."""
    padded = np.pad(mask.astype(bool), 1)
    interior = padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:]
    return mask.astype(bool) & ~interior


def overlay(image: np.ndarray, labels: np.ndarray, alpha: float = 0.4) -> np.ndarray:
    """uint8 RGB (H, W, 3) + labels (H, W; 0 = background) -> uint8 RGB overlay (class 1 in red)."""
    result = image.astype(np.float32)
    for label in np.unique(labels[labels > 0]):
        inside = labels == label
        colour = PALETTE[(int(label) - 1) % len(PALETTE)]
        result[inside] = (1 - alpha) * result[inside] + alpha * colour
        result[outline(inside)] = (255.0, 255.0, 0.0)
    return result.round().astype(np.uint8)
