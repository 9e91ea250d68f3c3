"""Round 60's reading, as run.sh set it: the mean single-step test Dice of cpu128 at seeds 12, 13 and 14 on this
machine, each with its per-image Dice std over 10 noise draws; met when the mean is >= 0.75 and every std <= 0.02."""
import json
import statistics
from pathlib import Path

HERE = Path(__file__).parent
SOURCES = {12: HERE.parent / "polypgen_round56_cpu128_fp32", 13: HERE, 14: HERE}

rows = {}
for seed, folder in SOURCES.items():
    summary = json.loads((folder / f"ref_seed{seed}_1step_summary.json").read_text())
    stability = json.loads((folder / f"pg51_ref_seed{seed}_stability.json").read_text())
    rows[seed] = {"test_dice_1step": round(summary["foreground_mean"]["dice"], 4),
                  "per_image_std_10_draws": round(stability["instance_level"]["dice_std_per_image_mean"], 4)}
mean = statistics.mean(r["test_dice_1step"] for r in rows.values())
met = mean >= 0.75 and all(r["per_image_std_10_draws"] <= 0.02 for r in rows.values())
print(json.dumps({"seeds": rows, "mean_test_dice_1step": round(mean, 4), "met": met}, indent=2))
