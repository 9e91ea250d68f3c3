"""Score a folder of predicted masks against ground-truth masks, nnU-Net style.

Predictions and ground truth are paired by file stem. Evaluation is all-or-nothing:
as in nnU-Net, a case missing on either side is an error, because a mean over a
silently smaller set of cases is not comparable with other results.

Scores are kept per class (``"1"`` for a binary mask), as in nnU-Net's summary.json, and
summarised by mean, median and std over the cases where a metric is defined. A dataset with
nnU-Net regions is scored per region, keyed as nnU-Net keys them (``"(1, 2, 3)"``).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np

from ..data.image_io import IMAGE_SUFFIXES, read_mask
from ..data.label_scheme import Label, class_key
from ..data.volume import read_label_volume, read_volume, strip_suffix, volume_suffix
from ..errors import DataError
from ..io_utils import atomic_path, write_json
from .metrics import DISTANCE_METRICS, DISTANCE_POLICY, EMPTY_MASK_POLICY, METRICS, score_pair

CSV_COUNTS = ("tp", "fp", "fn", "gt_empty", "pred_empty")
BINARY_LABELS = (1,)
FOREGROUND = "foreground"  # all labels > 0 as one region (e.g. BraTS whole tumour); multi-class only
SHOWN_MISSING = 5
def summary_keys(summary: dict[str, Any]) -> list[str]:
    """The per-class keys of a written summary.json's metrics, in its ``labels`` order (regions come back from JSON
    as lists)."""
    return [class_key(tuple(label) if isinstance(label, list) else label) for label in summary["labels"]]


def _values(labels: tuple[Label, ...]) -> list[int]:
    """Every label value the classes or regions cover, 0 included."""
    return [0, *sorted({v for label in labels for v in (label if isinstance(label, tuple) else (label,))})]


def _by_stem(folder: Path, role: str) -> dict[str, Path]:
    """Mask or label-volume files directly in ``folder`` keyed by case name; sub-folders are ignored."""
    if not folder.is_dir():
        raise DataError(f"{folder}: folder not found; check the {role} folder argument")
    files = sorted(p for p in folder.iterdir() if p.is_file() and (volume_suffix(p) or p.suffix.lower() in IMAGE_SUFFIXES))
    if not files:
        raise DataError(f"{folder}: no masks or label volumes found; check the {role} folder argument")
    by_stem: dict[str, Path] = {}
    for path in files:
        case = strip_suffix(path)
        if case in by_stem:
            raise DataError(f"{by_stem[case]} and {path}: two {role} files for case '{case}'; keep only one")
        by_stem[case] = path
    return by_stem


def _read(path: Path, labels: tuple[Label, ...] | None) -> tuple[np.ndarray, tuple[float, ...] | None]:
    """A mask (2D, binary) or a label volume with its spacing in array order (3D, mm).

    ``labels=None``: a volume whose labels are not declared is read as it is; the set of labels
    is gathered from the ground truth while scoring (see ``_complete``).
    """
    if volume_suffix(path):
        volume = read_label_volume(path, _values(labels)) if labels else read_volume(path, dtype=np.int64)
        return volume.array, volume.geometry.spacing_zyx
    return read_mask(path), None


def _listing(paths: list[Path]) -> str:
    shown = ", ".join(p.name for p in paths[:SHOWN_MISSING])
    return shown + (f" and {len(paths) - SHOWN_MISSING} more" if len(paths) > SHOWN_MISSING else "")


def _check_pairs(preds: dict[str, Path], gts: dict[str, Path], pred_where: str, gt_dir: Path) -> None:
    no_gt = [preds[s] for s in sorted(preds.keys() - gts.keys())]
    if no_gt:
        raise DataError(
            f"{gt_dir}: no ground truth for {len(no_gt)} prediction(s) in {pred_where}: {_listing(no_gt)}; "
            "add the missing masks or remove those predictions (partial evaluation is refused)"
        )
    no_pred = [gts[s] for s in sorted(gts.keys() - preds.keys())]
    if no_pred:
        raise DataError(
            f"{pred_where}: no prediction for {len(no_pred)} ground-truth mask(s) in {gt_dir}: {_listing(no_pred)}; "
            "predict every case first (partial evaluation is refused)"
        )


def _score_case(
    case: str, pred_path: Path, gt_path: Path, labels: tuple[Label, ...] | None
) -> tuple[dict[str, Any], set[int], set[int]]:
    """One case's metrics, and the foreground labels found in its ground truth and its prediction.

    With ``labels=None`` each label present on either side is scored (plus the foreground
    region), so every file is read once; ``_complete`` then adds what the other cases define.
    """
    (pred, _), (gt, spacing) = _read(pred_path, labels), _read(gt_path, labels)
    if pred.shape != gt.shape:
        raise DataError(
            f"{pred_path} has shape {pred.shape} but its ground truth {gt_path} has {gt.shape}; "
            "predictions must be saved on the ground truth's grid"
        )
    in_gt, in_pred = (set(), set()) if labels else (set(np.unique(a).tolist()) - {0} for a in (gt, pred))
    scored = labels or tuple(sorted(in_gt | in_pred))
    metrics = {class_key(label): score_pair(np.isin(pred, label), np.isin(gt, label), spacing) for label in scored}
    if labels is None or len(labels) > 1:
        metrics[FOREGROUND] = score_pair(pred > 0, gt > 0, spacing)
    result = {"case": case, "prediction_file": str(pred_path), "reference_file": str(gt_path),
              "voxels": int(gt.size), "metrics": metrics}
    return result, in_gt, in_pred


def _complete(scored: list[tuple[dict[str, Any], set[int], set[int]]]) -> tuple[list[dict[str, Any]], tuple[int, ...]]:
    """Cases scored without declared labels, on the labels of all the ground truth together.

    A label a case lacks on both sides scores as two empty masks; a predicted label that no
    ground truth has is an error, as it is when the labels are declared.
    """
    labels = tuple(sorted(set().union(*(in_gt for _, in_gt, _ in scored)))) or BINARY_LABELS
    empty = score_pair(np.zeros((1, 1), bool), np.zeros((1, 1), bool), None)
    cases = []
    for case, _, in_pred in scored:
        unknown = sorted(in_pred - set(labels))
        if unknown:
            raise DataError(f"{case['prediction_file']}: label value(s) {unknown[:8]} appear in no ground truth "
                            f"(labels {list(labels)}); fix the prediction or the ground-truth folder")
        absent = {**empty, "tn": case["voxels"]}
        metrics = {class_key(label): case["metrics"].get(class_key(label), absent) for label in labels}
        if len(labels) > 1:
            metrics[FOREGROUND] = case["metrics"][FOREGROUND]
        cases.append({**case, "metrics": metrics})
    return cases, labels


def _statistics(cases: list[dict[str, Any]], labels: tuple[Label, ...]) -> dict[str, Any]:
    """Mean/median/std per class over defined values, undefined counts, and the mean over classes."""
    stats: dict[str, Any] = {"mean": {}, "median": {}, "std": {}, "undefined": {}}
    for label in cases[0]["metrics"]:
        for key in stats:
            stats[key][label] = {}
        for name in METRICS:
            values = np.array([c["metrics"][label][name] for c in cases], dtype=float)
            defined = values[~np.isnan(values)]
            for key, reduce in (("mean", np.mean), ("median", np.median), ("std", np.std)):
                stats[key][label][name] = float(reduce(defined)) if defined.size else None
            if name in DISTANCE_METRICS:
                stats["undefined"][label][name] = int(values.size - defined.size)
    stats["foreground_mean"] = {  # mean over the classes, as nnU-Net's foreground_mean
        name: _mean_or_none([stats["mean"][class_key(label)][name] for label in labels]) for name in METRICS
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


def _pooled(pred_dirs: list[Path]) -> dict[str, Path]:
    """Predictions from several folders (e.g. each cross-validation fold's val predictions) as one set of cases."""
    pooled: dict[str, Path] = {}
    for folder in pred_dirs:
        for case, path in _by_stem(folder, "prediction").items():
            if case in pooled:
                raise DataError(f"{pooled[case]} and {path}: case '{case}' is predicted in two of the prediction "
                                "folders; pool folders that each hold other cases (e.g. each fold's val predictions)")
            pooled[case] = path
    return pooled


def evaluate_folders(
    pred_dir: str | Path | list[str | Path],
    gt_dir: str | Path,
    output_dir: str | Path | None = None,
    cases: list[str] | None = None,
    labels: tuple[Label, ...] | None = None,
    command: str | None = None,
) -> dict[str, Any]:
    """Score every prediction against its ground truth; write ``metrics.csv`` and ``summary.json``.

    ``pred_dir`` may be several folders holding other cases each (e.g. the val predictions of every cross-validation
    fold): they are scored together as one set, and ``output_dir`` must then be given.
    ``cases`` limits the ground truth to those stems (e.g. a dataset's test split).
    ``labels`` are the foreground labels to score: 1 for 2D masks; for volumes, dataset.json's (its
    regions, as tuples of label values, for a region-based dataset) or, by default, every label found in
    the ground truth. Distances of volumes are in mm.
    ``output_dir`` defaults to the one ``pred_dir``; ``command`` (the command line) is recorded for the
    report. All checks run before anything is written,
    and ``summary.json`` is written last, so its presence means a complete evaluation.
    """
    pred_dirs = [Path(folder) for folder in (pred_dir if isinstance(pred_dir, list) else [pred_dir])]
    if output_dir is None and len(pred_dirs) > 1:
        raise DataError(f"{len(pred_dirs)} prediction folders are scored together: name an output folder for "
                        "their metrics.csv and summary.json (-o)")
    gt_dir = Path(gt_dir)
    output_dir = Path(output_dir) if output_dir is not None else pred_dirs[0]
    preds, gts = _pooled(pred_dirs), _by_stem(gt_dir, "ground-truth")
    if cases is not None:
        unknown = sorted(set(cases) - gts.keys())
        if unknown:
            raise DataError(f"{gt_dir}: no ground-truth mask for case(s) {', '.join(unknown[:SHOWN_MISSING])}")
        gts = {case: gts[case] for case in cases}
    _check_pairs(preds, gts, ", ".join(map(str, pred_dirs)), gt_dir)
    volumes = any(volume_suffix(path) for path in gts.values())
    labels = tuple(labels) if labels else (None if volumes else BINARY_LABELS)
    results = [_score_case(case, preds[case], gts[case], labels) for case in sorted(preds)]
    scored, labels = _complete(results) if labels is None else ([case for case, _, _ in results], labels)
    scored = [{k: v for k, v in case.items() if k != "voxels"} for case in scored]
    summary = _json_safe({
        "metric_per_case": scored,
        **_statistics(scored, labels),
        "labels": list(labels),
        "num_cases": len(scored),
        "distance_unit": "mm" if volumes else "pixel",
        "empty_mask_policy": EMPTY_MASK_POLICY,
        "distance_policy": DISTANCE_POLICY,
        **({"command": command} if command else {}),
    })
    _write_csv(output_dir / "metrics.csv", scored)
    write_json(output_dir / "summary.json", summary)
    return summary
