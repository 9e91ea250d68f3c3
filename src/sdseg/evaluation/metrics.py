"""Overlap metrics for binary 2D masks.

Empty-mask rule: if prediction and target are both empty the case is a perfect
answer (1.0); if exactly one is empty there is no overlap to reward (0.0). Without
this rule 0/0 would give NaN and silently drop correct "nothing here" cases from means.

``METRICS`` is the registry that ``evaluate.py`` iterates, so a new metric (HD95,
ASSD, ...) only needs a function ``(pred, target) -> float`` added here.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

EMPTY_MASK_POLICY = "both empty -> 1.0, one empty -> 0.0"


def _binary_pair(pred: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    pred, target = np.asarray(pred, dtype=bool), np.asarray(target, dtype=bool)
    if pred.shape != target.shape:
        raise ValueError(f"prediction shape {pred.shape} does not match target shape {target.shape}")
    return pred, target


def confusion(pred: np.ndarray, target: np.ndarray) -> dict[str, int]:
    """Pixel counts ``tp``, ``fp``, ``fn``, ``tn`` for per-case reports."""
    pred, target = _binary_pair(pred, target)
    tp = int(np.count_nonzero(pred & target))
    fp = int(np.count_nonzero(pred)) - tp
    fn = int(np.count_nonzero(target)) - tp
    return {"tp": tp, "fp": fp, "fn": fn, "tn": pred.size - tp - fp - fn}


def dice(pred: np.ndarray, target: np.ndarray) -> float:
    """Dice coefficient ``2|P∩T| / (|P| + |T|)``; see the module docstring for empty masks."""
    c = confusion(pred, target)
    denominator = 2 * c["tp"] + c["fp"] + c["fn"]
    return 2 * c["tp"] / denominator if denominator else 1.0


def iou(pred: np.ndarray, target: np.ndarray) -> float:
    """Intersection over union ``|P∩T| / |P∪T|``; see the module docstring for empty masks."""
    c = confusion(pred, target)
    denominator = c["tp"] + c["fp"] + c["fn"]
    return c["tp"] / denominator if denominator else 1.0


METRICS: dict[str, Callable[[np.ndarray, np.ndarray], float]] = {"dice": dice, "iou": iou}
