"""A volume dataset's cross-validation, read from a run's record folder, and paired fold by fold against another's.

A record folder (docs/results/<run>/, as brats6_cv_2026-12-05/run.sh writes it) holds per fold ``fold?/`` the
first stage's and SDSeg's training summaries and the fold's last model scored on its held-out case
(``val_summary.json``) and on the test cases (``test_summary.json``); beside them the held-out predictions scored
as one set (``cv_summary.json``) and the folds' ensemble on the test cases (``ensemble_test_summary.json``).
Per fold: the held-out case, its class mean (the foreground classes' mean Dice), per-class Dice and whole tumour
('foreground'), the training-time val checks; then the pooled figures. With ``--against`` another record of the same
folds, each fold's difference (this − that) and how many folds are ahead:

    python benchmarks/cv_reading.py docs/results/brats6_cv3000_2026-12-05 --against docs/results/brats6_cv_2026-12-05
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np


def dice_row(summary: dict) -> dict:
    """Class mean over the foreground classes and per-class Dice means, the whole foreground as 'foreground'."""
    classes = [label for label in summary["mean"] if label != "foreground"]
    row = {"class_mean": round(summary["foreground_mean"]["dice"], 4)}
    row.update({label: round(summary["mean"][label]["dice"], 4) for label in (*classes, "foreground")})
    return row


def read_json(path: Path) -> dict:
    return json.loads(path.read_text())


def read_cv(folder: Path) -> dict:
    """The record's per-fold and pooled figures."""
    folds = {}
    for fold in sorted(folder.glob("fold?")):
        training = read_json(fold / "sdseg_training.json")
        val = read_json(fold / "val_summary.json")
        folds[fold.name] = {
            "held_out": [case["case"] for case in val["metric_per_case"]],
            "first_stage_round_trip_last": round(read_json(fold / "first_stage_training.json")
                                                 ["history"][-1]["val_dice"], 4),
            "training_val_checks": {h["step"]: round(h["val_dice"], 4) for h in training["history"]},
            "val": dice_row(val),
            "test": dice_row(read_json(fold / "test_summary.json")),
        }
    test_means = [fold["test"]["class_mean"] for fold in folds.values()]
    return {
        "folds": folds,
        "cross_validated": dice_row(read_json(folder / "cv_summary.json")),
        "test_class_mean_over_models": {"mean": round(float(np.mean(test_means)), 4),
                                        "min": min(test_means), "max": max(test_means)},
        "test_by_the_four_models_ensembled": dice_row(read_json(folder / "ensemble_test_summary.json")),
    }


def paired(this: dict, that: dict) -> dict:
    """Per fold and pooled, this − that for every figure of the held-out case, and the folds ahead on each."""
    if [f["held_out"] for f in this["folds"].values()] != [f["held_out"] for f in that["folds"].values()]:
        raise SystemExit("the two records hold out different cases: not the same folds")
    by_fold = {name: {key: round(fold["val"][key] - that["folds"][name]["val"][key], 4) for key in fold["val"]}
               for name, fold in this["folds"].items()}
    keys = next(iter(by_fold.values()))
    return {
        "val_by_fold": by_fold,
        "folds_ahead": {key: sum(diff[key] > 0 for diff in by_fold.values()) for key in keys},
        "cross_validated": {key: round(this["cross_validated"][key] - that["cross_validated"][key], 4)
                            for key in this["cross_validated"]},
        "test_by_the_ensembles": {key: round(this["test_by_the_four_models_ensembled"][key]
                                             - that["test_by_the_four_models_ensembled"][key], 4)
                                  for key in this["test_by_the_four_models_ensembled"]},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("record", type=Path)
    parser.add_argument("--against", type=Path, help="another record of the same folds")
    args = parser.parse_args()
    result = read_cv(args.record)
    if args.against:
        result["minus_" + args.against.name] = paired(result, read_cv(args.against))
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
