"""Round 62's reading (rule in run.sh): bf16 is recommended for cpu128 on CPUs with avx512_bf16 if bf16_seed15's best
val Dice is >= ref_seed15's + 0.01, with its per-image Dice std over 10 draws <= 0.02. Test figures are reported."""

import json
from pathlib import Path

HERE = Path(__file__).parent
rows = {}
for run in ("ref_seed15", "bf16_seed15"):
    training = json.loads((HERE / f"{run}_training.json").read_text())
    stability = json.loads((HERE / f"pg51_{run}_stability.json").read_text())
    summary = json.loads((HERE / f"{run}_1step_summary.json").read_text())
    rows[run] = {"steps": training["steps"], "best_val": round(training["best_val_dice_single_step"], 4),
                 "test_1step": round(summary["foreground_mean"]["dice"], 4),
                 "per_image_std_10_draws": round(stability["instance_level"]["dice_std_per_image_mean"], 4)}
gain = round(rows["bf16_seed15"]["best_val"] - rows["ref_seed15"]["best_val"], 4)
met = gain >= 0.01 and rows["bf16_seed15"]["per_image_std_10_draws"] <= 0.02
print(json.dumps({"runs": rows, "best_val_gain": gain, "rule_met": met}, indent=2))
