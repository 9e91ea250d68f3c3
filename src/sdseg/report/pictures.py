"""The report's pictures: label maps coloured per class, TP/FP/FN overlays, and the volume slices worth seeing.

Pictures are shrunk before they are coloured, so a thumbnail costs little more than reading
its files; that keeps a report of thousands of cases within a minute.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from ..inference.overlay import PALETTE

# Distinct for the common colour-vision deficiencies too: green, magenta, amber.
ERRORS = {"true positive": (0, 200, 80), "false positive": (230, 0, 200), "false negative": (255, 190, 0)}
THUMB_SIDE = 112
PANEL_SIDE = 288


def class_colour(label: int) -> tuple[int, int, int]:
    """The colour of class ``label`` (1, 2, ...), as in ``sdseg predict``'s overlays."""
    return tuple(int(c) for c in PALETTE[(label - 1) % len(PALETTE)])


def shrink(array: np.ndarray, side: int, labels: bool) -> np.ndarray:
    """``array`` scaled so that its longer side is at most ``side``; labels by nearest neighbour."""
    height, width = array.shape[:2]
    scale = side / max(height, width)
    if scale >= 1:
        return array
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    resample = Image.Resampling.NEAREST if labels else Image.Resampling.BILINEAR
    return np.asarray(Image.fromarray(array).resize(size, resample, reducing_gap=None if labels else 2.0))


def coloured_labels(labels: np.ndarray) -> np.ndarray:
    """Labels (H, W; 0 = background) -> uint8 RGB, each class in its colour on black."""
    lut = np.zeros((max(int(labels.max()), 0) + 1, 3), np.uint8)
    for label in range(1, len(lut)):
        lut[label] = class_colour(label)
    return lut[labels]


def error_overlay(image: np.ndarray, prediction: np.ndarray, truth: np.ndarray, alpha: float = 0.55) -> np.ndarray:
    """The image tinted where the prediction agrees with the truth (TP), adds to it (FP: another class
    counts here) or misses it (FN)."""
    result = image.astype(np.float32)
    regions = ((truth > 0) & (prediction == truth), (prediction > 0) & (prediction != truth),
               (truth > 0) & (prediction == 0))
    for inside, colour in zip(regions, ERRORS.values()):
        result[inside] = (1 - alpha) * result[inside] + alpha * np.array(colour, np.float32)
    return result.round().astype(np.uint8)


def grey_to_rgb(slice_: np.ndarray, low: float, high: float) -> np.ndarray:
    """A float slice windowed to [low, high] as uint8 RGB."""
    scaled = np.clip((slice_ - low) / (high - low or 1.0), 0, 1) * 255
    return np.repeat(scaled.round().astype(np.uint8)[..., None], 3, axis=2)


def telling_slices(prediction: np.ndarray, truth: np.ndarray) -> dict[str, int]:
    """The axial (first-axis) slices of a (z, y, x) case with the most wrong voxels and with the
    most foreground in the truth."""
    wrong = (prediction != truth).sum(axis=(1, 2))
    foreground = (truth > 0).sum(axis=(1, 2))
    return {"most error": int(wrong.argmax()), "most foreground": int(foreground.argmax())}


def uncertainty_colours(std_png: np.ndarray) -> np.ndarray:
    """An uncertainty map as ``sdseg stability`` writes it (0..255) in the magma colour map."""
    from matplotlib import colormaps  # noqa: PLC0415 - only with --stability

    lut = (colormaps["magma"](np.arange(256))[:, :3] * 255).round().astype(np.uint8)
    return lut[std_png]


def save_picture(path: Path, rgb: np.ndarray) -> None:
    """JPEG for photographs and overlays (small), PNG for label maps (exact colours). Not atomic by
    itself: the report is written into a temporary folder renamed into place when complete."""
    if path.suffix == ".jpg":
        Image.fromarray(rgb).save(path, format="JPEG", quality=85)
    else:
        Image.fromarray(rgb).save(path, format="PNG", compress_level=1)
