"""A minimum-area rule chosen on val, reported on test: a prediction (at 0.5) covering less than a fraction A of the
image counts as empty. It turns a false alarm on an image without polyp into Dice 1 and a small true detection into
Dice 0. From benchmarks/misses.py's per-image rows (which keep each image's predicted fraction):

python docs/results/polypgen_round25_cpu128_fp32/min_area.py VAL_MISSES.json TEST_MISSES.json [...pairs]
"""
import json, sys

GRID = [0.0, 0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02]


def scored(rows, area):
    """Mean Dice at 0.5 under the rule, and the images it changes (false alarms cleared, detections lost)."""
    dice, cleared, lost = [], 0, 0
    for r in rows:
        d = r["dice"]["0.5"]
        if 0 < r["predicted_fraction"] < area:
            empty = r["foreground_fraction"] == 0
            cleared += empty
            lost += (not empty) and d > 0
            d = 1.0 if empty else 0.0
        dice.append(d)
    return {"mean_dice": round(sum(dice) / len(dice), 4), "false_alarms_cleared": cleared, "detections_lost": lost}


out = {"what": __doc__.split("\n\n")[0].replace("\n", " "), "grid": GRID}
for val_path, test_path in zip(sys.argv[1::2], sys.argv[2::2]):
    val, test = (json.load(open(p))["per_image"] for p in (val_path, test_path))
    by_area = {str(a): scored(val, a) for a in GRID}
    chosen = max(GRID, key=lambda a: (by_area[str(a)]["mean_dice"], -a))  # ties: the smaller area
    out[val_path] = {"val": by_area, "chosen_on_val": chosen, "test_without_rule": scored(test, 0.0),
                     "test_with_rule": scored(test, chosen), "test_path": test_path}
print(json.dumps(out, indent=2))
