"""Round 73's reading (rule in run.sh): foreground_fraction 0.84 goes into cpu128 only if the mean over seeds 17 and 18
of (oversample best val Dice - cpu128 best val Dice) is >= 0.01, with per-image std over 10 draws <= 0.02 at seed 18.
Also, per seed and split, the false alarms on the polyp-free images and the Dice on the images with a polyp (from
presence.py's per-image rows), and cpu128's test Dice at every seed trained on this machine, now seven."""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROUND68 = HERE.parent / "polypgen_round68_cpu128_fp32"
sys.path.insert(0, str(HERE.parents[2] / "benchmarks"))
from pair_reading import arm_row as row, load  # noqa: E402  (the benchmarks folder is not a package)

seeds = {17: ROUND68, 18: HERE}
rows = {f"{arm}_seed{seed}": row(folder, f"{arm}_seed{seed}") for seed, folder in seeds.items()
        for arm in ("ref", "oversample")}
gains = {seed: round(rows[f"oversample_seed{seed}"]["best_val"] - rows[f"ref_seed{seed}"]["best_val"], 4)
         for seed in seeds}
mean_gain = round(sum(gains.values()) / len(gains), 4)
paired = {seed: load(folder, f"paired_oversample_seed{seed}_minus_ref_seed{seed}.json") for seed, folder in seeds.items()}
# cpu128 as committed (fp32) at every seed trained on this machine: rounds 56, 60, 62, 67, 68 and this one.
FP32 = {12: "polypgen_round56_cpu128_fp32", 13: "polypgen_round60_cpu128_fp32", 14: "polypgen_round60_cpu128_fp32",
        15: "polypgen_round62_cpu128_bf16", 16: "polypgen_round67_cpu128_bf16", 17: ROUND68.name, 18: HERE.name}
fp32_test = {seed: round(load(HERE.parent / folder, f"ref_seed{seed}_1step_summary.json")["foreground_mean"]["dice"], 4)
             for seed, folder in FP32.items()}
print(json.dumps({**rows, "best_val_gain_by_seed": gains, "best_val_gain_mean": mean_gain,
                  "paired_test_difference_by_seed": {s: round(p["mean_difference"], 4) for s, p in paired.items()},
                  "paired_ci95_by_seed": {s: [round(x, 4) for x in p["ci95"]] for s, p in paired.items()},
                  "adopted": mean_gain >= 0.01 and rows["oversample_seed18"]["per_image_std_10_draws"] <= 0.02,
                  "cpu128_fp32_test_by_seed": fp32_test,
                  "cpu128_fp32_test_mean": round(sum(fp32_test.values()) / len(fp32_test), 4)}, indent=2))
