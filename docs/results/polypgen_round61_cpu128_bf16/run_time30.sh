#!/usr/bin/env bash
# Sixty-first round, third part: a short look at equal time, set up when the cost probe and the screen had met their
# readings and 45 minutes of the session were left (round 62's 90-minute pair did not fit). fp32 and bf16 train cpu128
# at seed 7 for 30 minutes each (training.max_minutes; no first-stage time charged), side by side, one thread each,
# on round 51's first stage. Reading, set before the results: evidence for round 62's pair, not a decision; bf16
# is ahead at equal time if its best val Dice over the 30 minutes is at least 0.01 above fp32's.
set -euo pipefail
cd /work/main
export RUNS=runs/pg51 OUT=docs/results/polypgen_round61_cpu128_bf16
bash benchmarks/polypgen.sh screen t30_fp32_seed7 100000 --seed 7 --set training.max_minutes=30 &
bash benchmarks/polypgen.sh screen t30_bf16_seed7 100000 --seed 7 --set training.max_minutes=30 --mixed-precision bf16 &
wait
bash benchmarks/polypgen.sh record t30_fp32_seed7 t30_bf16_seed7
STEPS=1000,2000,3000,4000,4500,5000,5500 .venv/bin/python benchmarks/val_by_step.py t30_fp32_seed7=pg51/t30_fp32_seed7 \
    t30_bf16_seed7=pg51/t30_bf16_seed7 > "$OUT/time30_val_by_step.json"
date > "$RUNS/round61_time30.done"
