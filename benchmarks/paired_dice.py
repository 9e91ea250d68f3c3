"""Paired per-case Dice difference between two ``sdseg evaluate`` summaries of the same cases.

Two models (or one model predicted two ways) scored on the same split differ by a mean Dice; whether
that difference is more than which images happened to flip is what a paired bootstrap over the
cases tells (resampling cases, 95 % percentile interval):

    python benchmarks/paired_dice.py runs/a_pred/summary.json runs/b_pred/summary.json [-o diff.json]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from sdseg.io_utils import write_json


def per_case_dice(summary_path: str | Path, label: str) -> dict[str, float]:
    summary = json.loads(Path(summary_path).read_text())
    return {case["case"]: case["metrics"][label]["dice"] for case in summary["metric_per_case"]}


def paired_difference(a: dict[str, float], b: dict[str, float], resamples: int = 10000, seed: int = 0) -> dict:
    """Mean of b − a over the shared cases, its bootstrap 95 % interval, and how many cases moved by > 0.01."""
    if a.keys() != b.keys():
        raise SystemExit(f"the summaries score different cases ({len(a.keys() ^ b.keys())} not in both)")
    cases = sorted(a)
    diff = np.array([b[c] - a[c] for c in cases])
    means = diff[np.random.default_rng(seed).integers(0, len(diff), (resamples, len(diff)))].mean(1)
    low, high = np.percentile(means, [2.5, 97.5])
    return {"cases": len(cases), "mean_a": float(np.mean([a[c] for c in cases])),
            "mean_b": float(np.mean([b[c] for c in cases])), "mean_difference": float(diff.mean()),
            "ci95": [float(low), float(high)], "better": int((diff > 0.01).sum()), "worse": int((diff < -0.01).sum())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a", help="summary.json of the reference")
    parser.add_argument("b", help="summary.json of the comparison (the difference is b − a)")
    parser.add_argument("--label", default="1", help="which class's Dice (default 1)")
    parser.add_argument("-o", "--output", help="write the result here as JSON")
    args = parser.parse_args()
    result = {"a": args.a, "b": args.b, **paired_difference(per_case_dice(args.a, args.label),
                                                             per_case_dice(args.b, args.label))}
    if args.output:
        write_json(args.output, result)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
