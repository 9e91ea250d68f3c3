#!/usr/bin/env bash
# Sixty-first round, second part: does bf16 autocast learn as fp32 does at equal steps? The cost probe (run_cost.sh)
# measures the step; this screens cpu128 with --mixed-precision bf16 for 3000 steps at seeds 7 and 6 (side by side,
# one thread each, round 51's first stage) against the fp32 references runs/pg51/ref_seed7 and ref_seed6.
# Reading, set before the results: bf16 earns a 90-minute pair against fp32 if the cost probe met its reading and the
# mean val Dice at steps 2000, 2500 and 3000 is no more than 0.01 below the reference's at either seed (a cheaper
# step only pays if it learns alike per step).
set -euo pipefail
cd /work/main
AFTER=runs/cost61/round61.done DONE=runs/pg51/round61_screen.done REFS="ref_seed7=pg51/ref_seed7 ref_seed6=pg51/ref_seed6" \
    RUNS=runs/pg51 OUT=docs/results/polypgen_round61_cpu128_bf16 \
    bash benchmarks/polypgen.sh screen_pair bf16 3000 --mixed-precision bf16
