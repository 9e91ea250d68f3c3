"""Round 67's reading (rule in run.sh): (a) bf16_seed16's best val Dice >= ref_seed16's + 0.01 with per-image std over
10 draws <= 0.02; (b) the mean over seeds 15 (round 62) and 16 of the paired test difference bf16 - fp32 is >= 0."""

import json
from pathlib import Path

HERE = Path(__file__).parent
ROUNDS = {15: HERE.parent / "polypgen_round62_cpu128_bf16", 16: HERE}


def row(folder: Path, run: str) -> dict:
    training = json.loads((folder / f"{run}_training.json").read_text())
    stability = json.loads((folder / f"pg51_{run}_stability.json").read_text())
    summary = json.loads((folder / f"{run}_1step_summary.json").read_text())
    return {"steps": training["steps"], "best_val": round(training["best_val_dice_single_step"], 4),
            "test_1step": round(summary["foreground_mean"]["dice"], 4),
            "per_image_std_10_draws": round(stability["instance_level"]["dice_std_per_image_mean"], 4)}


seeds = {}
for seed, folder in ROUNDS.items():
    ref, bf16 = row(folder, f"ref_seed{seed}"), row(folder, f"bf16_seed{seed}")
    paired = json.loads((folder / f"paired_bf16_seed{seed}_minus_ref_seed{seed}.json").read_text())
    seeds[seed] = {"ref": ref, "bf16": bf16, "best_val_gain": round(bf16["best_val"] - ref["best_val"], 4),
                   "paired_test_difference": round(paired["mean_difference"], 4),
                   "paired_ci95": [round(x, 4) for x in paired["ci95"]]}
new = seeds[16]
a = new["best_val_gain"] >= 0.01 and new["bf16"]["per_image_std_10_draws"] <= 0.02
mean_test_difference = round(sum(s["paired_test_difference"] for s in seeds.values()) / len(seeds), 4)
b = mean_test_difference >= 0
# cpu128 as committed (fp32) at every seed trained on this machine: rounds 56, 60, 62 and this one.
FP32 = {12: "polypgen_round56_cpu128_fp32", 13: "polypgen_round60_cpu128_fp32", 14: "polypgen_round60_cpu128_fp32",
        15: "polypgen_round62_cpu128_bf16", 16: "polypgen_round67_cpu128_bf16"}
fp32_test = {seed: round(json.loads((HERE.parent / folder / f"ref_seed{seed}_1step_summary.json").read_text())
                         ["foreground_mean"]["dice"], 4) for seed, folder in FP32.items()}
print(json.dumps({"seeds": seeds, "mean_paired_test_difference": mean_test_difference,
                  "a_val_gain_again": a, "b_test_not_worse": b,
                  "cpu128_fp32_test_by_seed": fp32_test,
                  "cpu128_fp32_test_mean": round(sum(fp32_test.values()) / len(fp32_test), 4)}, indent=2))
