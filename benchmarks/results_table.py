"""Print the markdown table of docs/RESULTS.md from the summaries in docs/results/polypgen_cpu128/.

    python benchmarks/results_table.py docs/results/polypgen_cpu128
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def fmt(value: float | None, digits: int = 4) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def main(folder: Path) -> None:
    load = lambda name: json.loads((folder / name).read_text())  # noqa: E731
    first_stage, sdseg, baseline = load("first_stage_training.json"), load("sdseg_training.json"), load("baseline_training.json")
    speeds = load("inference_speed.json") if (folder / "inference_speed.json").is_file() else {}
    rows = [("SDSeg (cpu128)", f"{s}", f"sdseg_{s}step_summary.json", speeds.get(str(s))) for s in (1, 10, 50)]
    rows.append(("UNet baseline", "—", "baseline_summary.json", baseline.get("images_per_second")))
    print("| method | steps | Dice | IoU | HD95 (px) | ASSD (px) | HD95/ASSD undefined | inference images/s |")
    print("|---|---|---|---|---|---|---|---|")
    for method, steps, name, speed in rows:
        summary = load(name)
        mean, undefined = summary["mean"]["1"], summary["undefined"]["1"]
        print(f"| {method} | {steps} | {fmt(mean['dice'])} | {fmt(mean['iou'])} | {fmt(mean['hd95'], 2)} | "
              f"{fmt(mean['assd'], 2)} | {undefined['hd95']} of {summary['num_cases']} | {fmt(speed, 1)} |")
    print()
    print(f"First stage: {first_stage['steps']} steps, val mask round-trip Dice {first_stage['val_mask_round_trip_dice']:.4f}.")
    print(f"SDSeg: {sdseg['steps']} steps, best val Dice (1 step) {sdseg['best_val_dice_single_step']:.4f}, "
          f"{sdseg['train_seconds_this_run'] / 60:.1f} min.")
    print(f"Baseline: {baseline['steps']} steps in {baseline['train_seconds'] / 60:.1f} min, "
          f"best val Dice {baseline['best_val_dice']:.4f}, {baseline['parameters']:,} parameters.")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/results/polypgen_cpu128"))
