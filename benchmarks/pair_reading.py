"""What a 90-minute pair's round reads (polypgen.sh ``pair``), from the files it leaves in its results folder: per arm
the steps, best val Dice, single-step test Dice, per-image std over 10 draws, and per split the false alarms on the
polyp-free images and the Dice of the images with a polyp (from presence.py's per-image rows). A round's reading.py
applies its own rule to these rows."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from scipy import stats


# cpu128 as committed (fp32), each seed trained on the 2-core AVX-512 EPYC with its own first stage: the results
# folder holding ref_seed{N}_*.
CPU128_FP32_SEEDS = {12: "polypgen_round56_cpu128_fp32", 13: "polypgen_round60_cpu128_fp32",
                     14: "polypgen_round60_cpu128_fp32", 15: "polypgen_round62_cpu128_bf16",
                     16: "polypgen_round67_cpu128_bf16", 17: "polypgen_round68_cpu128_fp32",
                     18: "polypgen_round73_cpu128_fp32", 19: "polypgen_round77_cpu128_fp32"}


def load(folder: Path, name: str) -> dict:
    return json.loads((folder / name).read_text())


def by_split(presence: dict) -> dict:
    """Per split: false alarms (Dice 0 on an image without a polyp) and the mean Dice of the images with one."""
    out = {}
    for split, rows in presence["per_image"].items():
        empty = [r for r in rows if r["foreground_fraction"] == 0]
        polyp = [r for r in rows if r["foreground_fraction"] > 0]
        out[split] = {"false_alarms": sum(r["dice"] == 0 for r in empty), "polyp_free_images": len(empty),
                      "polyp_image_dice": round(sum(r["dice"] for r in polyp) / len(polyp), 4),
                      "polyps_missed": sum(r["dice"] < 0.1 for r in polyp), "polyp_images": len(polyp)}
    return out


def summary_dice(folder: Path, summary: str) -> float:
    """The foreground Dice of one `sdseg evaluate` summary in a round's folder, to 4 places."""
    return round(load(folder, summary)["foreground_mean"]["dice"], 4)


def test_dice(folder: Path, run: str) -> float:
    return summary_dice(folder, f"{run}_1step_summary.json")


def arm_row(folder: Path, run: str) -> dict:
    """A 90-minute pair's arm: its seed row (without the mirrored figure) and the per-split presence figures."""
    row = seed_row(folder, run, "pg51")
    del row["test_1step_mirrored"]
    return {**row, **by_split(load(folder, f"{run}_presence.json"))}


def paired(folder: Path, first: str, second: str) -> dict:
    """second - first on test, paired per image, from paired_dice.py's file."""
    result = load(folder, f"paired_{second}_minus_{first}.json")
    return {"mean_difference": round(result["mean_difference"], 4), "ci95": [round(x, 4) for x in result["ci95"]]}


def seed_row(folder: Path, run: str, stability_prefix: str | None = None) -> dict:
    """One seed's figures for a multi-seed reading: steps, best val, single-step test plain and mirrored, and, where its
    ``{stability_prefix}_{run}_stability.json`` was kept, the per-image std over 10 draws."""
    training = load(folder, f"{run}_training.json")
    out = {"steps": training["steps"], "best_val": round(training["best_val_dice_single_step"], 4),
           "test_1step": test_dice(folder, run),
           "test_1step_mirrored": round(load(folder, f"{run}_1step_mirror_summary.json")["foreground_mean"]["dice"], 4)}
    if stability_prefix is not None:
        stability = load(folder, f"{stability_prefix}_{run}_stability.json")
        out["per_image_std_10_draws"] = round(stability["instance_level"]["dice_std_per_image_mean"], 4)
    return out


def seed_summary(values: list[float]) -> dict:
    """Mean over seeds with its sd and standard error."""
    sd = float(np.std(values, ddof=1))
    return {"n": len(values), "mean": round(float(np.mean(values)), 4), "sd": round(sd, 4),
            "se": round(sd / math.sqrt(len(values)), 4)}


def welch(new: list[float], old: list[float]) -> dict:
    """new - old over seeds, with the standard error of the difference and Welch's p (unequal variances)."""
    difference = float(np.mean(new) - np.mean(old))
    se = math.sqrt(np.var(new, ddof=1) / len(new) + np.var(old, ddof=1) / len(old))
    test = stats.ttest_ind(new, old, equal_var=False)
    return {"difference": round(difference, 4), "se": round(se, 4), "in_se": round(difference / se, 2),
            "welch_p": round(float(test.pvalue), 3)}
