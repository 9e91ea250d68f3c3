"""Score a folder of predicted masks against ground-truth masks, nnU-Net style.

Predictions and ground truth are paired by file stem. Evaluation is all-or-nothing:
as in nnU-Net, a case missing on either side is an error, because a mean over a
silently smaller set of cases is not comparable with other results.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np

from ..data.image_io import list_images, read_mask
from ..errors import DataError
from ..io_utils import atomic_path, write_json
from .metrics import EMPTY_MASK_POLICY, METRICS, confusion

CSV_COUNTS = ("tp", "fp", "fn", "gt_empty", "pred_empty")
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


def _score_case(case: str, pred_path: Path, gt_path: Path) -> dict[str, Any]:
    pred, gt = read_mask(pred_path), read_mask(gt_path)
    if pred.shape != gt.shape:
        raise DataError(
            f"{pred_path} is {pred.shape[1]}x{pred.shape[0]} pixels but its ground truth {gt_path} is "
            f"{gt.shape[1]}x{gt.shape[0]}; predictions must be saved at the ground-truth size"
        )
    metrics: dict[str, Any] = {name: metric(pred, gt) for name, metric in METRICS.items()}
    metrics.update(confusion(pred, gt))
    metrics.update(gt_empty=not gt.any(), pred_empty=not pred.any())
    return {"case": case, "prediction_file": str(pred_path), "reference_file": str(gt_path), "metrics": metrics}


def _write_csv(path: Path, cases: list[dict[str, Any]]) -> None:
    columns = [*METRICS, *CSV_COUNTS]
    with atomic_path(path) as tmp, tmp.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["case", *columns])
        writer.writerows([c["case"], *(c["metrics"][k] for k in columns)] for c in cases)


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
    cases = [_score_case(case, preds[case], gts[case]) for case in sorted(preds)]
    summary = {
        "metric_per_case": cases,
        "mean": {name: float(np.mean([c["metrics"][name] for c in cases])) for name in METRICS},
        "num_cases": len(cases),
        "empty_mask_policy": EMPTY_MASK_POLICY,
    }
    _write_csv(output_dir / "metrics.csv", cases)
    write_json(output_dir / "summary.json", summary)
    return summary
