"""Round 63's reading from the three ref_seed*_presence.json files: the rule chosen on val per seed, its test
gain, the letter of the reading set in run.sh, the ceiling (every false alarm cleared, nothing lost), and how the
cues of the false alarms compare with those of the polyps the model found."""

import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
SEEDS = (12, 13, 14)
CUES = ("peak", "confidence", "flip_agreement")

result, gains = {"seeds": {}}, []
for seed in SEEDS:
    d = json.loads((HERE / f"ref_seed{seed}_presence.json").read_text())
    test = d["single_pass"]["test"]
    gain = round(test["dice_with"] - test["dice_without"], 4)
    gains.append(gain)
    ranges = {}
    for split, rows in d["per_image"].items():
        alarms = [r for r in rows if r["foreground_fraction"] == 0 and r["dice"] == 0]
        found = [r for r in rows if r["foreground_fraction"] > 0 and r["dice"] > 0]
        ranges[split] = {cue: {"false_alarms": sorted(round(r[cue], 3) for r in alarms),
                               "found_polyps_percentiles_5_25_50": [round(float(q), 3) for q in
                                                                    np.percentile([r[cue] for r in found], (5, 25, 50))]}
                         for cue in CUES}
    result["seeds"][seed] = {"rule": d["single_pass"]["rule"], "val": d["single_pass"]["val"], "test": test,
                             "test_gain": gain,
                             "test_ceiling": round(test["dice_without"] + test["false_alarms"] / len(d["per_image"]["test"]), 4),
                             "flip_rule": d["with_flip"]["rule"], "cue_ranges": ranges}
result["mean_test_gain"] = round(float(np.mean(gains)), 4)
result["reading_letter_met"] = (sum(g > 0 for g in gains) >= 2 and result["mean_test_gain"] > 0 and min(gains) >= -0.005)
result["one_test_image"] = round(1 / 142, 4)
print(json.dumps(result, indent=1))
