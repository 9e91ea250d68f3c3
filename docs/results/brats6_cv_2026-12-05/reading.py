"""The cross-validation's table (written before its results): per fold, the held-out case, its Dice per class and
whole tumour by the fold's last model, that model's two test cases, and each fold's training-time val checks; then
the mean over folds (each training case scored once, by the model that did not see it), the spread of the test
class mean over the four models, and the four models' ensemble on the test cases (run_ensemble.sh)."""

import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
CLASSES = ("1", "2", "3", "4")


def dice_row(summary: dict) -> dict:
    """Class mean (the four sub-regions) and per-class Dice means, whole tumour as 'foreground'."""
    row = {"class_mean": round(summary["foreground_mean"]["dice"], 4)}
    row.update({label: round(summary["mean"][label]["dice"], 4) for label in (*CLASSES, "foreground")})
    return row


folds = {}
for folder in sorted(HERE.glob("fold?")):
    training = json.loads((folder / "sdseg_training.json").read_text())
    val = json.loads((folder / "val_summary.json").read_text())
    folds[folder.name] = {
        "held_out": [case["case"] for case in val["metric_per_case"]],
        "first_stage_round_trip_last": round(json.loads((folder / "first_stage_training.json").read_text())
                                             ["history"][-1]["val_dice"], 4),
        "training_val_checks": {h["step"]: round(h["val_dice"], 4) for h in training["history"]},
        "val": dice_row(val),
        "test": dice_row(json.loads((folder / "test_summary.json").read_text())),
    }
test_means = [fold["test"]["class_mean"] for fold in folds.values()]
result = {
    "folds": folds,
    "cross_validated": dice_row(json.loads((HERE / "cv_summary.json").read_text())),
    "test_class_mean_over_models": {"mean": round(float(np.mean(test_means)), 4),
                                    "min": min(test_means), "max": max(test_means)},
    "test_by_the_four_models_ensembled": dice_row(json.loads((HERE / "ensemble_test_summary.json").read_text())),
}
print(json.dumps(result, indent=1))
