"""Round 81's reading (rule in run.sh, written before the results): issue 10's protocol on the 2-core AVX-512 EPYC in
bf16, SDSeg cpu128 (its first stage inside its 90 minutes) beside the supervised BasicUNet, seed 24.

The first target holds on this machine if SDSeg's single-step test Dice is >= the baseline's and its per-image std
over 10 draws is <= 0.02. Reported, not ruled on: the paired per-image bootstrap of SDSeg - baseline on test, DDIM-10
and DDIM-50, the steps each arm made, and the protocol's two earlier rounds (34 and 42, fp32 on the AVX2 machine)."""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE.parent
# the benchmarks folder is not a package
sys.path.insert(0, str(HERE.parents[2] / "benchmarks"))
from pair_reading import load, summary_dice as dice  # noqa: E402
from paired_dice import paired_difference, per_case_dice  # noqa: E402

EARLIER = {34: "polypgen_round34_cpu128_fp32", 42: "polypgen_round42_cpu128_fp32"}


def protocol_row(folder: Path) -> dict:
    """One protocol round's figures: both arms' steps, best val and test Dice, and SDSeg's stability."""
    sdseg, baseline = load(folder, "sdseg_training.json"), load(folder, "baseline_training.json")
    return {"first_stage_mask_round_trip_dice": round(
                load(folder, "first_stage_training.json")["val_mask_round_trip_dice"], 4),
            "sdseg_steps": sdseg["steps"], "sdseg_best_val": round(sdseg["best_val_dice_single_step"], 4),
            **{f"sdseg_test_{n}step": dice(folder, f"sdseg_{n}step_summary.json") for n in (1, 10, 50)},
            "sdseg_per_image_std_10_draws": round(
                load(folder, "sdseg_stability.json")["instance_level"]["dice_std_per_image_mean"], 4),
            "baseline_steps": baseline["steps"], "baseline_mixed_precision": baseline["mixed_precision"],
            "baseline_best_val": round(baseline["best_val_dice"], 4),
            "baseline_test": dice(folder, "baseline_summary.json")}


row = protocol_row(HERE)
paired = paired_difference(per_case_dice(HERE / "baseline_summary.json", "1"),
                           per_case_dice(HERE / "sdseg_1step_summary.json", "1"))
print(json.dumps({
    "round81": row,
    "sdseg_minus_baseline_test_paired": {k: [round(x, 4) for x in v] if isinstance(v, list) else
                                         round(v, 4) if isinstance(v, float) else v for k, v in paired.items()},
    "earlier_protocol_rounds_fp32_avx2": {n: protocol_row(RESULTS / folder) for n, folder in EARLIER.items()},
    "sdseg_ge_baseline": row["sdseg_test_1step"] >= row["baseline_test"],
    "per_image_std_le_0.02": row["sdseg_per_image_std_10_draws"] <= 0.02,
}, indent=1))
