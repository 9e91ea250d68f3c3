"""Round 68's reading (rule in run.sh): foreground_fraction 0.84 goes into cpu128 only if oversample_seed17's best val
Dice is >= ref_seed17's + 0.01 with per-image std over 10 draws <= 0.02. Also cpu128's test Dice at every seed trained
on this machine, now six, and both models' false alarms and misses from presence.py."""

import json
from pathlib import Path

HERE = Path(__file__).parent


def load(folder: Path, name: str) -> dict:
    return json.loads((folder / name).read_text())


def presence(result: dict) -> dict:
    """False alarms on the 25 polyp-free val and test images, and polyps missed (Dice < 0.1), as round 66 counted."""
    images = [image for split in ("val", "test") for image in result["per_image"][split]]
    return {"false_alarms": sum(result["single_pass"][split]["false_alarms"] for split in ("val", "test")),
            "polyp_free_images": sum(image["foreground_fraction"] == 0 for image in images),
            "polyps_missed": sum(image["foreground_fraction"] > 0 and image["dice"] < 0.1 for image in images),
            "polyp_images": sum(image["foreground_fraction"] > 0 for image in images)}


def row(run: str) -> dict:
    training, summary = load(HERE, f"{run}_training.json"), load(HERE, f"{run}_1step_summary.json")
    stability = load(HERE, f"pg51_{run}_stability.json")
    return {"steps": training["steps"], "best_val": round(training["best_val_dice_single_step"], 4),
            "test_1step": round(summary["foreground_mean"]["dice"], 4),
            "per_image_std_10_draws": round(stability["instance_level"]["dice_std_per_image_mean"], 4),
            **presence(load(HERE, f"{run}_presence.json"))}


ref, arm = row("ref_seed17"), row("oversample_seed17")
paired = load(HERE, "paired_oversample_seed17_minus_ref_seed17.json")
gain = round(arm["best_val"] - ref["best_val"], 4)
# cpu128 as committed (fp32) at every seed trained on this machine: rounds 56, 60, 62, 67 and this one.
FP32 = {12: "polypgen_round56_cpu128_fp32", 13: "polypgen_round60_cpu128_fp32", 14: "polypgen_round60_cpu128_fp32",
        15: "polypgen_round62_cpu128_bf16", 16: "polypgen_round67_cpu128_bf16", 17: HERE.name}
fp32_test = {seed: round(load(HERE.parent / folder, f"ref_seed{seed}_1step_summary.json")["foreground_mean"]["dice"], 4)
             for seed, folder in FP32.items()}
print(json.dumps({"ref_seed17": ref, "oversample_seed17": arm, "best_val_gain": gain,
                  "paired_test_difference": round(paired["mean_difference"], 4),
                  "paired_ci95": [round(x, 4) for x in paired["ci95"]],
                  "adopted": gain >= 0.01 and arm["per_image_std_10_draws"] <= 0.02,
                  "cpu128_fp32_test_by_seed": fp32_test,
                  "cpu128_fp32_test_mean": round(sum(fp32_test.values()) / len(fp32_test), 4)}, indent=2))
