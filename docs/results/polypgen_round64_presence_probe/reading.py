"""Round 64's reading from the three ref_seed*_probe.json files: per feature set, each seed's test gain from the
rule chosen on val, their mean against the reading in run.sh (>= 0.007, no seed below -0.005), and how well the probe
ranks polyp-free images below images with a polyp (AUC) on val and test."""

import json
import sys
from pathlib import Path

import numpy as np
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "benchmarks"))
from presence_head import auc  # noqa: E402  (the benchmarks folder is not a package)
SEEDS = (12, 13, 14)


def probe_auc(rows: list[dict]) -> float:
    """P(probe of an image with a polyp > probe of a polyp-free one), ties counting half."""
    return auc(torch.tensor([r["probe"] for r in rows]), torch.tensor([r["foreground_fraction"] > 0 for r in rows]))


result = {}
for features in ("c", "c+x0"):
    seeds, gains = {}, []
    for seed in SEEDS:
        d = json.loads((HERE / f"ref_seed{seed}_probe.json").read_text())
        r = d[features]
        gain = round(r["test"]["dice_with"] - r["test"]["dice_without"], 4)
        gains.append(gain)
        seeds[seed] = {"rule": r["rule"], "val": r["val"], "test": r["test"], "test_gain": gain,
                       "auc": {split: round(probe_auc(rows), 3) for split, rows in d["per_image"][features].items()}}
    result[features] = {"seeds": seeds, "mean_test_gain": round(float(np.mean(gains)), 4),
                        "reading_met": bool(np.mean(gains) >= 0.007 and min(gains) >= -0.005)}
print(json.dumps(result, indent=1))
