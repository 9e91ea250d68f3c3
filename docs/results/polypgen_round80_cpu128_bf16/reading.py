"""Round 80's reading (rule in run.sh, written before the results): bf16 autocast at its final six seeds (15 and 16 from
rounds 62 and 67 on round 51's first stage; 20 and 21 from round 79 and 22 and 23 here, on round 79's) against cpu128 in
fp32 at its eight seeds on the same machine (12-19, all on round 51's first stage).

Issue 10's 0.75 is read on bf16's six-seed mean single-step test Dice (met if >= 0.75), reported with its standard error
and 95 % t interval; each new seed's per-image std over 10 draws must be <= 0.02. The differences against fp32 are
reported, not ruled on. Also reported, declared before the results: bf16's four seeds on round 79's first stage alone."""

import json
import sys
from pathlib import Path

import numpy as np
from scipy import stats

HERE = Path(__file__).resolve().parent
RESULTS = HERE.parent
# the benchmarks folder is not a package
sys.path.insert(0, str(HERE.parents[2] / "benchmarks"))
from pair_reading import CPU128_FP32_SEEDS, seed_row, seed_summary, welch  # noqa: E402

BF16_SEEDS = {15: ("polypgen_round62_cpu128_bf16", "pg51"), 16: ("polypgen_round67_cpu128_bf16", "pg51"),
              20: ("polypgen_round79_cpu128_bf16", "pg79"), 21: ("polypgen_round79_cpu128_bf16", "pg79"),
              22: ("polypgen_round80_cpu128_bf16", "pg79"), 23: ("polypgen_round80_cpu128_bf16", "pg79")}
NEW_SEEDS = (22, 23)
ROUND79_FIRST_STAGE = (20, 21, 22, 23)
KEYS = ("best_val", "test_1step", "test_1step_mirrored")


def interval95(values: list[float]) -> list[float]:
    """The 95 % t interval of the mean over seeds."""
    mean, se = float(np.mean(values)), float(stats.sem(values))
    half = float(stats.t.ppf(0.975, len(values) - 1)) * se
    return [round(mean - half, 4), round(mean + half, 4)]


fp32 = {seed: seed_row(RESULTS / folder, f"ref_seed{seed}") for seed, folder in CPU128_FP32_SEEDS.items()}
bf16 = {seed: seed_row(RESULTS / folder, f"bf16_seed{seed}", runs) for seed, (folder, runs) in BF16_SEEDS.items()}
columns = {name: {key: [r[key] for r in arm.values()] for key in KEYS} for name, arm in (("fp32", fp32), ("bf16", bf16))}
test_mean = round(float(np.mean(columns["bf16"]["test_1step"])), 4)
print(json.dumps({
    "fp32_by_seed": fp32, "bf16_by_seed": bf16,
    "fp32": {key: seed_summary(v) for key, v in columns["fp32"].items()},
    "bf16": {key: seed_summary(v) for key, v in columns["bf16"].items()},
    "bf16_test_1step_interval95": interval95(columns["bf16"]["test_1step"]),
    "bf16_minus_fp32": {key: welch(columns["bf16"][key], columns["fp32"][key]) for key in KEYS},
    "bf16_round79_first_stage_only": {key: seed_summary([bf16[s][key] for s in ROUND79_FIRST_STAGE]) for key in KEYS},
    "new_seeds_per_image_std_le_0.02": all(bf16[s]["per_image_std_10_draws"] <= 0.02 for s in NEW_SEEDS),
    "issue10_0.75_on_the_bf16_six_seed_mean": test_mean >= 0.75,
}, indent=1))
