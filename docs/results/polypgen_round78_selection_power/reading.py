"""Round 78: how much one 90-minute run at one seed can tell, from what is already committed (no new training).

cpu128 (fp32) was trained at eight seeds on the same machine and recipe (seeds 12-19, all on round 51's first stage).
Their spread says how far two runs of the *same* recipe land apart on val (best val Dice, 142 images, what the rounds
select on) and on test (single step, 142 images), whether a seed's val predicts its test, how often an arm with no
effect at all would pass the rounds' +0.01 val rule by chance at one seed, and how many seeds per arm a +0.01 test
difference needs. Beside it, for the pairs with per-image rows on both splits (rounds 68, 73, 77), the paired
per-image bootstrap of each split: the part of a one-seed difference that comes from which 142 images were drawn."""

import json
import math
import sys
from pathlib import Path

import numpy as np
from scipy import stats

HERE = Path(__file__).resolve().parent
RESULTS = HERE.parent
sys.path.insert(0, str(HERE.parents[2] / "benchmarks"))
# the benchmarks folder is not a package
from pair_reading import CPU128_FP32_SEEDS, load, seed_summary, test_dice  # noqa: E402
from paired_dice import paired_difference  # noqa: E402

RULE = 0.01  # the rounds' val rule: an arm is a candidate at best val >= the reference's + 0.01
PAIRS = {17: ("polypgen_round68_cpu128_fp32", "oversample_seed17"),
         18: ("polypgen_round73_cpu128_fp32", "oversample_seed18"),
         19: ("polypgen_round77_cpu128_fp32", "standardize_seed19")}


def spread(values: list[float]) -> dict:
    """seed_summary's mean, sd and se, with the range and what they mean for a one-seed comparison."""
    summary, sd = seed_summary(values), float(np.std(values, ddof=1))
    return {"mean": summary["mean"], "sd": summary["sd"], "min": round(min(values), 4), "max": round(max(values), 4),
            "se_of_mean": summary["se"],
            # two runs of one recipe at two seeds differ by N(0, sqrt(2) sd)
            "sd_of_a_one_seed_difference": round(math.sqrt(2) * sd, 4),
            "seeds_per_arm_to_resolve_0.01_at_2_se": math.ceil(8 * (sd / RULE) ** 2)}


seeds = {}
for seed, folder in CPU128_FP32_SEEDS.items():
    training = load(RESULTS / folder, f"ref_seed{seed}_training.json")
    seeds[seed] = {"steps": training["steps"], "best_val": round(training["best_val_dice_single_step"], 4),
                   "test_1step": test_dice(RESULTS / folder, f"ref_seed{seed}")}
val, test = [s["best_val"] for s in seeds.values()], [s["test_1step"] for s in seeds.values()]
sd_val = float(np.std(val, ddof=1))
pearson, spearman = stats.pearsonr(val, test), stats.spearmanr(val, test)


def per_image(folder: str, run: str, split: str) -> dict[str, float]:
    return {row["case"]: row["dice"] for row in load(RESULTS / folder, f"{run}_presence.json")["per_image"][split]}


pairs = {}
for seed, (folder, arm) in PAIRS.items():
    pairs[f"{arm} - ref_seed{seed}"] = {
        split: {k: (round(v, 4) if isinstance(v, float) else [round(x, 4) for x in v] if isinstance(v, list) else v)
                for k, v in paired_difference(per_image(folder, f"ref_seed{seed}", split),
                                              per_image(folder, arm, split)).items()}
        for split in ("val", "test")}

print(json.dumps({
    "cpu128_by_seed": seeds,
    "best_val": spread(val),
    "test_1step": spread(test),
    "val_predicts_test_across_seeds": {"pearson_r": round(float(pearson.statistic), 3),
                                       "pearson_p": round(float(pearson.pvalue), 3),
                                       "spearman_rho": round(float(spearman.statistic), 3)},
    "chance_a_no_effect_arm_passes_the_val_rule_at_one_seed": round(
        float(stats.norm.sf(RULE / (math.sqrt(2) * sd_val))), 3),
    "paired_per_image_bootstrap": pairs,
}, indent=1))
