#!/usr/bin/env bash
# Sixteenth round, 90-minute budget each (first stage charged), one thread each, side by side, seed 0,
# one first stage (500 cpu128 steps, trained here by arm A and then shared; its seconds are charged to both).
# A: cpu128 as is.  B: cpu128 with the vision encoder's first level frozen
# (--set training.vision_encoder_frozen_levels=1): no backward through it, so more steps in the budget.
# Each arm scores itself (single step, plain and mirrored, one thread) as soon as it ends.
cd /work/main
RUNS=runs/pg27
OUT=docs/results/polypgen_frozen1_cpu128_fp32
arm() {  # arm NAME [--set ...]
    local name=$1
    shift
    RUNS=$RUNS bash benchmarks/polypgen.sh train_sdseg $name 90 "$@" > $RUNS/$name.out 2>&1
    RUNS=$RUNS RUN=$name OUT=$OUT bash benchmarks/polypgen.sh score_single >> $RUNS/$name.out 2>&1
    date > $RUNS/$name.done
}
arm ref128 &
until [ -f $RUNS/ae_seconds ]; do sleep 10; done
arm frozen1 --set training.vision_encoder_frozen_levels=1 &
wait
