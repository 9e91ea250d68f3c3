#!/usr/bin/env bash
# Sixteenth round, 90-minute budget each (first stage charged), one thread each, side by side, seed 0,
# one first stage (500 cpu128 steps, trained here by arm A and then shared; its seconds are charged to both).
# A: cpu128 as is.  B: cpu128 with the vision encoder's first level frozen
# (--set training.vision_encoder_frozen_levels=1): no backward through it, so more steps in the budget.
# Each arm (benchmarks/polypgen.sh arm) scores itself (single step, plain and mirrored, one thread) as soon as it ends.
cd /work/main
export RUNS=runs/pg27 OUT=docs/results/polypgen_frozen1_cpu128_fp32
bash benchmarks/polypgen.sh arm ref128 90 &
until [ -f $RUNS/ae_seconds ]; do sleep 10; done
bash benchmarks/polypgen.sh arm frozen1 90 --set training.vision_encoder_frozen_levels=1 &
wait
