"""What a report shows, read from a scored prediction folder: its cases, their scores and their pictures.

Everything comes from the files the other commands wrote -- ``summary.json`` (``sdseg
evaluate``) for the scores and the ground-truth files, ``predict.json`` for the model and
settings, the training run's ``preset.json`` -- plus the images, which only the user can point at.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..data.image_io import read_image, read_mask
from ..data.volume import read_volume
from ..errors import DataError
from ..evaluation.evaluate import summary_keys
from .pictures import grey_to_rgb, telling_slices

SUMMARY = "summary.json"
PREDICT_RECORD = "predict.json"
PRESET = "preset.json"


@dataclass
class Case:
    """One scored case: its files, its scores per class and the mean Dice over its classes."""

    name: str
    prediction: Path
    truth: Path
    image: Path  # the image, or a volume's first channel
    metrics: dict[str, dict[str, float | None]]
    dice: float


@dataclass
class View:
    """One picture of a case: the whole 2D image, or one axial slice of a volume."""

    title: str
    image: np.ndarray  # uint8 RGB
    truth: np.ndarray  # labels
    prediction: np.ndarray


def read_json(path: Path, what_to_do: str) -> dict[str, Any]:
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise DataError(f"{path}: not found; {what_to_do}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot be read ({exc}); {what_to_do}") from None


def read_summary(predictions: Path) -> dict[str, Any]:
    return read_json(predictions / SUMMARY, f"score the predictions first: sdseg evaluate {predictions} GROUND_TRUTH")


def scored_cases(predictions: Path, summary: dict[str, Any], images: dict[str, Path]) -> list[Case]:
    """The summary's cases with their prediction (in ``predictions``), ground truth and image files."""
    classes = summary_keys(summary)
    missing = [entry["case"] for entry in summary["metric_per_case"] if entry["case"] not in images]
    if missing:
        raise DataError(f"{predictions / SUMMARY} scores {len(missing)} case(s) without an image in --images, e.g. "
                        f"{missing[0]!r}; pass the images (or dataset and --split) the predictions were made from")
    cases = []
    for entry in summary["metric_per_case"]:
        prediction, truth = predictions / Path(entry["prediction_file"]).name, Path(entry["reference_file"])
        for path, role in ((prediction, "prediction"), (truth, "ground truth")):
            if not path.is_file():
                raise DataError(f"{path}: the {role} scored in {predictions / SUMMARY} is gone; "
                                "run sdseg evaluate again on the folders as they are now")
        dice = float(np.mean([entry["metrics"][label]["dice"] for label in classes]))
        cases.append(Case(entry["case"], prediction, truth, images[entry["case"]], entry["metrics"], dice))
    return cases


def has_foreground(case: Case) -> bool:
    """Whether the ground truth holds any class; a case empty on both sides scores Dice 1 and shows nothing."""
    return any(not metrics.get("gt_empty", False) for metrics in case.metrics.values())


def worst_and_best(cases: list[Case], count: int) -> tuple[list[Case], list[Case]]:
    """The ``count`` lowest-Dice cases, worst first, and the ``count`` highest of the rest, best first;
    the best are drawn from cases with foreground first, so negatives do not fill the gallery."""
    ranked = sorted(cases, key=lambda case: (case.dice, case.name))
    worst = ranked[:count]
    rest = sorted(ranked[len(worst):], key=lambda case: (has_foreground(case), case.dice, case.name), reverse=True)
    return worst, rest[:count]


def case_views(case: Case, volume: bool) -> list[View]:
    """A 2D case's image, or a volume's axial slices with the most error and with the most foreground."""
    if not volume:
        return [View("", read_image(case.image), read_mask(case.truth), read_mask(case.prediction))]
    image = read_volume(case.image).array
    truth = read_volume(case.truth, np.int64).array
    prediction = read_volume(case.prediction, np.int64).array
    low, high = np.percentile(image, (1, 99))
    slices: dict[int, list[str]] = {}
    for reason, index in telling_slices(prediction, truth).items():
        slices.setdefault(index, []).append(reason)
    return [View(f"slice {index}: {', '.join(reasons)}", grey_to_rgb(image[index], low, high),
                 truth[index].astype(np.uint8), prediction[index].astype(np.uint8))
            for index, reasons in slices.items()]


def provenance(predictions: Path, summary: dict[str, Any], model: Path | None) -> dict[str, Any]:
    """Model(s), preset (the first model's), settings and command lines recorded by ``predict`` and ``evaluate``,
    where present."""
    record_path = predictions / PREDICT_RECORD
    record = read_json(record_path, "delete it or predict again") if record_path.is_file() else {}
    recorded = record.get("model", [])  # a list for an ensemble
    models = [model] if model else [Path(path) for path in ([recorded] if isinstance(recorded, str) else recorded)]
    first = models[0] if models else None
    preset_file = next((p for p in (first / PRESET, first.parent / PRESET) if p.is_file()), None) if first else None
    preset = read_json(preset_file, "restore the training run's preset.json") if preset_file else None
    return {
        "model": ", ".join(map(str, models)) or "not recorded (no predict.json)",
        "preset": f"{preset.get('name', '?')} ({preset_file})" if preset else "not found next to the model",
        "settings": ", ".join(f"{k}={record[k]}" for k in ("steps", "seed", "decoder", "precision") if k in record),
        "commands": [c for c in (record.get("command"), summary.get("command")) if c],
    }
