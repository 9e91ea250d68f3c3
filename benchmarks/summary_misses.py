"""Misses of a binary prediction, read from ``sdseg evaluate`` summaries (no model needed, unlike misses.py).

Per summary: images whose reference has foreground, how many of them score Dice < 0.1 (missed) and how many
got an empty prediction, and how many images without foreground got a non-empty one (false alarms):

    python benchmarks/summary_misses.py runs/a_pred/summary.json runs/b_pred/summary.json
"""

from __future__ import annotations

import json
import sys

MISS = 0.1


def counts(path: str) -> dict:
    cases = [case["metrics"]["1"] for case in json.load(open(path))["metric_per_case"]]
    with_foreground = [c for c in cases if not c["gt_empty"]]
    return {"summary": path, "images_with_foreground": len(with_foreground),
            f"missed_dice_below_{MISS}": sum(c["dice"] < MISS for c in with_foreground),
            "empty_predictions_on_them": sum(c["pred_empty"] for c in with_foreground),
            "false_alarms_on_empty_images": sum(not c["pred_empty"] for c in cases if c["gt_empty"])}


if __name__ == "__main__":
    print(json.dumps([counts(path) for path in sys.argv[1:]], indent=2))
