"""The reading of run_sdseg.sh (rule there, written before the results): SDSeg `cpu128` in bf16 for 45 minutes on the
fp32 and on the bf16 first stage of run.sh, at SDSeg seed 0 and, once it has run, seed 1. "No worse for SDSeg" if on
the bf16 first stage the best val and the single-step test Dice are each at least the fp32 first stage's - 0.02: per
seed, and on the seeds' mean differences, which decide when two seeds have run."""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "benchmarks"))  # the benchmarks folder is not a package
from pair_reading import load, summary_dice  # noqa: E402


def arm(first_stage: str, tag: str) -> dict:
    training = load(HERE, f"sdseg_on_{first_stage}{tag}_training.json")
    return {"steps": training["steps"], "best_val": round(training["best_val_dice_single_step"], 4),
            "val_by_step": [(h["step"], round(h["val_dice"], 3)) for h in training["history"]],
            "test_1step": summary_dice(HERE, f"sdseg_on_{first_stage}{tag}_1step_summary.json")}


def no_worse(val_difference: float, test_difference: float) -> bool:
    return val_difference >= -0.02 and test_difference >= -0.02


seeds = {0: ""} | ({1: "_seed1"} if (HERE / "sdseg_on_bf16_seed1_1step_summary.json").is_file() else {})
reading = {}
for seed, tag in seeds.items():
    fp32, bf16 = arm("no", tag), arm("bf16", tag)
    difference = {"best_val": round(bf16["best_val"] - fp32["best_val"], 4),
                  "test_1step": round(bf16["test_1step"] - fp32["test_1step"], 4)}
    reading[f"seed{seed}"] = {"on_fp32_first_stage": fp32, "on_bf16_first_stage": bf16, "bf16_minus_fp32": difference,
                              "no_worse_for_sdseg": no_worse(difference["best_val"], difference["test_1step"])}
if len(seeds) == 2:
    mean = {key: round(sum(reading[f"seed{s}"]["bf16_minus_fp32"][key] for s in seeds) / 2, 4)
            for key in ("best_val", "test_1step")}
    reading["mean_of_two_seeds"] = {"bf16_minus_fp32": mean, "no_worse_for_sdseg": no_worse(mean["best_val"], mean["test_1step"])}
print(json.dumps(reading, indent=1))
