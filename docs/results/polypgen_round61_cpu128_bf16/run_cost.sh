#!/usr/bin/env bash
# Sixty-first round, a cost probe: does bf16 autocast make a cpu128 step cheaper on this AMD EPYC (avx512_bf16, no
# AMX)? On an AVX2 EPYC bf16 ran ~10x slower than fp32, on an AMX Xeon 1.2-1.6x faster (fifth round); this CPU
# has neither profile. fp32 and bf16 side by side, one thread each, seed 7, on a copy of round 51's first stage:
# pair A in the 64² phase (1000 steps, read as the seconds for steps 500-1000), pair B at 128² (coarse phase off,
# 600 steps, val every 300, read as the seconds for steps 300-600). Each pair's val checks also show whether
# bf16 learns alike at equal steps. Reading, set before the results: bf16 is worth a 90-minute run here if both
# pairs' bf16 seconds are <= 0.83x fp32's (>= 1.2x the steps in the budget).
set -euo pipefail
cd /work/main
export RUNS=runs/cost61 OUT=docs/results/polypgen_round61_cpu128_bf16
mkdir -p "$RUNS" && rm -rf "$RUNS/ae" && cp -r runs/pg51/ae "$RUNS/ae"
bash benchmarks/polypgen.sh screen fp32_64 1000 --seed 7 &
bash benchmarks/polypgen.sh screen bf16_64 1000 --seed 7 --mixed-precision bf16 &
wait
FULL=(--seed 7 --set training.coarse_size=0 --set training.coarse_steps=0 --set training.val_every=300)
bash benchmarks/polypgen.sh screen fp32_128 600 "${FULL[@]}" &
bash benchmarks/polypgen.sh screen bf16_128 600 "${FULL[@]}" --mixed-precision bf16 &
wait
STEPS=500,1000 .venv/bin/python benchmarks/val_by_step.py fp32_64=cost61/fp32_64 bf16_64=cost61/bf16_64 \
    > "$OUT/step_cost_64.json"
STEPS=300,600 .venv/bin/python benchmarks/val_by_step.py fp32_128=cost61/fp32_128 bf16_128=cost61/bf16_128 \
    > "$OUT/step_cost_128.json"
date > "$RUNS/round61.done"
