"""Test Dice by polyp size, from `sdseg evaluate` summaries: images whose mask covers under 2 % of the image (small
polyps, the most missed), the rest with foreground, and the empty ones: where a model's Dice goes (twenty-second round).

python benchmarks/size_split.py SUMMARY... > size_split.json
"""
import json
import sys

SMALL = 0.02
out = {"what": f"mean test Dice (single draw, threshold 0.5, original size) on images whose mask covers < {SMALL} of the "
               f"image, >= {SMALL}, and none (Dice 1 when the prediction is empty too)"}
for path in sys.argv[1:]:
    groups = {"small": [], "large": [], "empty": []}
    for case in json.load(open(path))["metric_per_case"]:
        m = case["metrics"]["1"]
        fraction = (m["tp"] + m["fn"]) / (m["tp"] + m["fp"] + m["fn"] + m["tn"])
        groups["empty" if m["gt_empty"] else "small" if fraction < SMALL else "large"].append(m["dice"])
    out[path] = {name: {"images": len(d), "mean_dice": round(sum(d) / len(d), 4)} for name, d in groups.items()}
print(json.dumps(out, indent=2))
