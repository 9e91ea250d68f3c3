"""Round 64's reading from the three ref_seed*_probe.json files: per feature set, each seed's test gain from the
rule chosen on val, their mean against the reading in run.sh (>= 0.007, no seed below -0.005), and how well the probe
ranks polyp-free images below images with a polyp (AUC) on val and test."""

import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
SEEDS = (12, 13, 14)


def auc(rows: list[dict]) -> float:
    """P(probe of an image with a polyp > probe of a polyp-free one), ties counting half."""
    pos = np.array([r["probe"] for r in rows if r["foreground_fraction"] > 0])
    neg = np.array([r["probe"] for r in rows if r["foreground_fraction"] == 0])
    return float(((pos[:, None] > neg[None]) + 0.5 * (pos[:, None] == neg[None])).mean())


result = {}
for features in ("c", "c+x0"):
    seeds, gains = {}, []
    for seed in SEEDS:
        d = json.loads((HERE / f"ref_seed{seed}_probe.json").read_text())
        r = d[features]
        gain = round(r["test"]["dice_with"] - r["test"]["dice_without"], 4)
        gains.append(gain)
        seeds[seed] = {"rule": r["rule"], "val": r["val"], "test": r["test"], "test_gain": gain,
                       "auc": {split: round(auc(rows), 3) for split, rows in d["per_image"][features].items()}}
    result[features] = {"seeds": seeds, "mean_test_gain": round(float(np.mean(gains)), 4),
                        "reading_met": bool(np.mean(gains) >= 0.007 and min(gains) >= -0.005)}
print(json.dumps(result, indent=1))
