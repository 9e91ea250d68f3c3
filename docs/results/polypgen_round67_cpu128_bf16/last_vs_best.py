"""Test Dice at the best-val checkpoint (each round's own scoring) against the last checkpoint (last_vs_best.sh) for the
90-minute cpu128 models on the AVX-512 EPYC. A diagnostic: nothing here selects on test."""

import json
from pathlib import Path

HERE = Path(__file__).parent
ROUND = {"ref_seed12": "polypgen_round56_cpu128_fp32", "ref_seed13": "polypgen_round60_cpu128_fp32",
         "ref_seed14": "polypgen_round60_cpu128_fp32", "ref_seed15": "polypgen_round62_cpu128_bf16",
         "bf16_seed15": "polypgen_round62_cpu128_bf16", "ref_seed16": "polypgen_round67_cpu128_bf16",
         "bf16_seed16": "polypgen_round67_cpu128_bf16"}


def dice(path: Path) -> float:
    return round(json.loads(path.read_text())["foreground_mean"]["dice"], 4)


rows = {}
for run, folder in ROUND.items():
    training = json.loads((HERE.parent / folder / f"{run}_training.json").read_text())
    checks = [e for e in training["history"] if e.get("val_dice") is not None]
    best = max(checks, key=lambda e: e["val_dice"])
    rows[run] = {"steps": training["steps"], "val_checks": len(checks), "best_step": best["step"],
                 "best_val": round(best["val_dice"], 4), "last_val": round(checks[-1]["val_dice"], 4),
                 "test_at_best": dice(HERE.parent / folder / f"{run}_1step_summary.json"),
                 "test_at_last": dice(HERE / "last_checkpoint" / f"{run}_1step_summary.json")}
    rows[run]["last_minus_best_test"] = round(rows[run]["test_at_last"] - rows[run]["test_at_best"], 4)
mean = round(sum(r["last_minus_best_test"] for r in rows.values()) / len(rows), 4)
print(json.dumps({"runs": rows, "mean_last_minus_best_test": mean}, indent=2))
