"""Overlap and surface-distance metrics for binary masks (2D images or 3D volumes).

Empty-mask rule for overlap metrics: if prediction and target are both empty the case
is a perfect answer (1.0); if exactly one is empty there is no overlap to reward (0.0).
Without this rule 0/0 would give NaN and silently drop correct "nothing here" cases.

Distances (HD95, ASSD) are undefined when either mask is empty: there is no surface to
measure from. They are returned as NaN, left out of means, and counted separately, so a
model cannot look better by predicting nothing.

Surfaces are the mask voxels removed by one binary erosion (face connectivity); distances
come from scipy's exact Euclidean distance transform, scaled by the voxel ``spacing``
(pixels when no spacing is known). HD95 is the larger of the two directed 95th
percentiles; ASSD is the mean over both directions' distances (MONAI's conventions).
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
from scipy import ndimage

EMPTY_MASK_POLICY = "dice/iou: both empty -> 1.0, one empty -> 0.0"
DISTANCE_POLICY = "hd95/assd: undefined (NaN, excluded from mean/median/std, counted) when either mask is empty"


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


def _surface(mask: np.ndarray) -> np.ndarray:
    structure = ndimage.generate_binary_structure(mask.ndim, 1)
    return mask & ~ndimage.binary_erosion(mask, structure=structure, border_value=0)


def surface_distances(
    pred: np.ndarray, target: np.ndarray, spacing: Sequence[float] | None = None
) -> tuple[np.ndarray, np.ndarray] | None:
    """Directed distances pred-surface → target-surface and back, or ``None`` if a mask is empty."""
    pred, target = _binary_pair(pred, target)
    if not pred.any() or not target.any():
        return None
    sampling = tuple(spacing) if spacing is not None else None
    pred_surface, target_surface = _surface(pred), _surface(target)
    to_target = ndimage.distance_transform_edt(~target_surface, sampling=sampling)
    to_pred = ndimage.distance_transform_edt(~pred_surface, sampling=sampling)
    return to_target[pred_surface], to_pred[target_surface]


def distance_metrics(
    pred: np.ndarray, target: np.ndarray, spacing: Sequence[float] | None = None
) -> dict[str, float]:
    """HD95 and ASSD from one pair of distance transforms (NaN when undefined)."""
    distances = surface_distances(pred, target, spacing)
    if distances is None:
        return {"hd95": float("nan"), "assd": float("nan")}
    forward, backward = distances
    return {
        "hd95": float(max(np.percentile(forward, 95), np.percentile(backward, 95))),
        "assd": float(np.concatenate([forward, backward]).mean()),
    }


def hd95(pred: np.ndarray, target: np.ndarray, spacing: Sequence[float] | None = None) -> float:
    """95th-percentile symmetric Hausdorff distance; NaN when either mask is empty."""
    return distance_metrics(pred, target, spacing)["hd95"]


def assd(pred: np.ndarray, target: np.ndarray, spacing: Sequence[float] | None = None) -> float:
    """Average symmetric surface distance; NaN when either mask is empty."""
    return distance_metrics(pred, target, spacing)["assd"]


OVERLAP_METRICS: dict[str, Callable[[np.ndarray, np.ndarray], float]] = {"dice": dice, "iou": iou}
DISTANCE_METRICS = ("hd95", "assd")
METRICS = (*OVERLAP_METRICS, *DISTANCE_METRICS)


def score_pair(pred: np.ndarray, target: np.ndarray, spacing: Sequence[float] | None = None) -> dict[str, float]:
    """Every metric in ``METRICS`` plus the confusion counts for one binary pair."""
    scores: dict[str, float] = {name: metric(pred, target) for name, metric in OVERLAP_METRICS.items()}
    scores.update(distance_metrics(pred, target, spacing))
    scores.update(confusion(pred, target))
    scores.update(gt_empty=not np.any(target), pred_empty=not np.any(pred))
    return scores
