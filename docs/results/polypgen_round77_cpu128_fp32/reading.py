"""Round 77's reading (rule in run.sh): standardize_image becomes a candidate for cpu128 (adopted only after a second
seed agrees) if its best val Dice is >= cpu128's + 0.01 with per-image std over 10 draws <= 0.02 at seed 19. Also the
paired test difference, each arm's false alarms and polyp Dice, and cpu128's test Dice at every seed trained on this
machine, now eight."""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "benchmarks"))
from pair_reading import arm_row, paired, test_dice  # noqa: E402  (the benchmarks folder is not a package)

REF, NEW = "ref_seed19", "standardize_seed19"
rows = {run: arm_row(HERE, run) for run in (REF, NEW)}
gain = round(rows[NEW]["best_val"] - rows[REF]["best_val"], 4)
# cpu128 as committed (fp32) at every seed trained on this machine: rounds 56, 60, 62, 67, 68, 73 and this one.
FP32 = {12: "polypgen_round56_cpu128_fp32", 13: "polypgen_round60_cpu128_fp32", 14: "polypgen_round60_cpu128_fp32",
        15: "polypgen_round62_cpu128_bf16", 16: "polypgen_round67_cpu128_bf16", 17: "polypgen_round68_cpu128_fp32",
        18: "polypgen_round73_cpu128_fp32", 19: HERE.name}
fp32_test = {seed: test_dice(HERE.parent / folder, f"ref_seed{seed}") for seed, folder in FP32.items()}
print(json.dumps({**rows, "best_val_gain": gain, "paired_test": paired(HERE, REF, NEW),
                  "candidate": gain >= 0.01 and rows[NEW]["per_image_std_10_draws"] <= 0.02,
                  "cpu128_fp32_test_by_seed": fp32_test,
                  "cpu128_fp32_test_mean": round(sum(fp32_test.values()) / len(fp32_test), 4)}, indent=2))
