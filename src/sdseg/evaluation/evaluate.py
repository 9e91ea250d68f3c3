"""Score a folder of predicted masks against ground-truth masks, nnU-Net style.

Predictions and ground truth are paired by file stem. Evaluation is all-or-nothing:
as in nnU-Net, a case missing on either side is an error, because a mean over a
silently smaller set of cases is not comparable with other results.

Scores are kept per class (``"1"`` for a binary mask), as in nnU-Net's summary.json, and
summarised by mean, median and std over the cases where a metric is defined.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np

from ..data.image_io import list_images, read_mask
from ..errors import DataError
from ..io_utils import atomic_path, write_json
from .metrics import DISTANCE_METRICS, DISTANCE_POLICY, EMPTY_MASK_POLICY, METRICS, score_pair

CSV_COUNTS = ("tp", "fp", "fn", "gt_empty", "pred_empty")
BINARY_LABELS = (1,)
SHOWN_MISSING = 5


def _by_stem(folder: Path, role: str) -> dict[str, Path]:
    """Image files directly in ``folder`` keyed by stem; sub-folders such as overlays/ are ignored."""
    try:
        files = list_images(folder)
    except DataError as exc:
        raise DataError(f"{exc}; check the {role} folder argument") from None
    by_stem: dict[str, Path] = {}
    for path in files:
        if path.stem in by_stem:
            raise DataError(f"{by_stem[path.stem]} and {path}: two {role} files for case '{path.stem}'; keep only one")
        by_stem[path.stem] = path
    return by_stem


def _listing(paths: list[Path]) -> str:
    shown = ", ".join(p.name for p in paths[:SHOWN_MISSING])
    return shown + (f" and {len(paths) - SHOWN_MISSING} more" if len(paths) > SHOWN_MISSING else "")


def _check_pairs(preds: dict[str, Path], gts: dict[str, Path], pred_dir: Path, gt_dir: Path) -> None:
    no_gt = [preds[s] for s in sorted(preds.keys() - gts.keys())]
    if no_gt:
        raise DataError(
            f"{gt_dir}: no ground truth for {len(no_gt)} prediction(s) in {pred_dir}: {_listing(no_gt)}; "
            "add the missing masks or remove those predictions (partial evaluation is refused)"
        )
    no_pred = [gts[s] for s in sorted(gts.keys() - preds.keys())]
    if no_pred:
        raise DataError(
            f"{pred_dir}: no prediction for {len(no_pred)} ground-truth mask(s) in {gt_dir}: {_listing(no_pred)}; "
            "predict every case first (partial evaluation is refused)"
        )


def _score_case(case: str, pred_path: Path, gt_path: Path, labels: tuple[int, ...]) -> dict[str, Any]:
    pred, gt = read_mask(pred_path), read_mask(gt_path)
    if pred.shape != gt.shape:
        raise DataError(
            f"{pred_path} is {pred.shape[1]}x{pred.shape[0]} pixels but its ground truth {gt_path} is "
            f"{gt.shape[1]}x{gt.shape[0]}; predictions must be saved at the ground-truth size"
        )
    metrics = {str(label): score_pair(pred == label, gt == label) for label in labels}
    return {"case": case, "prediction_file": str(pred_path), "reference_file": str(gt_path), "metrics": metrics}


def _statistics(cases: list[dict[str, Any]], labels: tuple[int, ...]) -> dict[str, Any]:
    """Mean/median/std per class over defined values, undefined counts, and the mean over classes."""
    stats: dict[str, Any] = {"mean": {}, "median": {}, "std": {}, "undefined": {}}
    for label in map(str, labels):
        for key in stats:
            stats[key][label] = {}
        for name in METRICS:
            values = np.array([c["metrics"][label][name] for c in cases], dtype=float)
            defined = values[~np.isnan(values)]
            for key, reduce in (("mean", np.mean), ("median", np.median), ("std", np.std)):
                stats[key][label][name] = float(reduce(defined)) if defined.size else None
            if name in DISTANCE_METRICS:
                stats["undefined"][label][name] = int(values.size - defined.size)
    stats["foreground_mean"] = {
        name: _mean_or_none([stats["mean"][str(label)][name] for label in labels]) for name in METRICS
    }
    return stats


def _mean_or_none(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return float(np.mean(present)) if present else None


def _write_csv(path: Path, cases: list[dict[str, Any]]) -> None:
    columns = [*METRICS, *CSV_COUNTS]
    with atomic_path(path) as tmp, tmp.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["case", "class", *columns])
        for case in cases:
            for label, scores in case["metrics"].items():
                writer.writerow([case["case"], label, *(scores[k] for k in columns)])


def _json_safe(value: Any) -> Any:
    """NaN is not valid JSON; undefined distances are written as null."""
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value


def evaluate_folders(
    pred_dir: str | Path,
    gt_dir: str | Path,
    output_dir: str | Path | None = None,
    cases: list[str] | None = None,
) -> dict[str, Any]:
    """Score every prediction against its ground truth; write ``metrics.csv`` and ``summary.json``.

    ``cases`` limits the ground truth to those stems (e.g. a dataset's test split).
    ``output_dir`` defaults to ``pred_dir``. All checks run before anything is written,
    and ``summary.json`` is written last, so its presence means a complete evaluation.
    """
    pred_dir, gt_dir = Path(pred_dir), Path(gt_dir)
    output_dir = Path(output_dir) if output_dir is not None else pred_dir
    preds, gts = _by_stem(pred_dir, "prediction"), _by_stem(gt_dir, "ground-truth")
    if cases is not None:
        unknown = sorted(set(cases) - gts.keys())
        if unknown:
            raise DataError(f"{gt_dir}: no ground-truth mask for case(s) {', '.join(unknown[:SHOWN_MISSING])}")
        gts = {case: gts[case] for case in cases}
    _check_pairs(preds, gts, pred_dir, gt_dir)
    scored = [_score_case(case, preds[case], gts[case], BINARY_LABELS) for case in sorted(preds)]
    summary = _json_safe({
        "metric_per_case": scored,
        **_statistics(scored, BINARY_LABELS),
        "num_cases": len(scored),
        "distance_unit": "pixel",
        "empty_mask_policy": EMPTY_MASK_POLICY,
        "distance_policy": DISTANCE_POLICY,
    })
    _write_csv(output_dir / "metrics.csv", scored)
    write_json(output_dir / "summary.json", summary)
    return summary
