"""The reading of run_sdseg.sh (rule there, written before the results): SDSeg `cpu128` in bf16 for 45 minutes on the
fp32 and on the bf16 first stage of run.sh, seed 0. "No worse for SDSeg" if on the bf16 first stage the best val and
the single-step test Dice are each at least the fp32 first stage's - 0.02."""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "benchmarks"))  # the benchmarks folder is not a package
from pair_reading import load, summary_dice  # noqa: E402


def arm(first_stage: str) -> dict:
    training = load(HERE, f"sdseg_on_{first_stage}_training.json")
    return {"steps": training["steps"], "best_val": round(training["best_val_dice_single_step"], 4),
            "val_by_step": [(h["step"], round(h["val_dice"], 3)) for h in training["history"]],
            "test_1step": summary_dice(HERE, f"sdseg_on_{first_stage}_1step_summary.json")}


fp32, bf16 = arm("no"), arm("bf16")
print(json.dumps({
    "on_fp32_first_stage": fp32, "on_bf16_first_stage": bf16,
    "no_worse_for_sdseg": bf16["best_val"] >= fp32["best_val"] - 0.02 and bf16["test_1step"] >= fp32["test_1step"] - 0.02,
}, indent=1))
