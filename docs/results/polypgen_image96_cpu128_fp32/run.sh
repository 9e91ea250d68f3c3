#!/usr/bin/env bash
# Fifteenth round, 90-minute budget each, one thread each, side by side, seed 0, the same first stage
# (the 500-step cpu128 first stage of the fourteenth round, runs/pg24b/ae, 719 s -> 78 min of SDSeg).
# A: cpu128 as is (128²).  B: cpu128 trained and predicted at 96² (--set image_size=96): about 0.56× the
# pixels per step, so more steps in the budget; predictions are resized back to each image's size.
# Each arm scores itself (single step, plain and mirrored, one thread) as soon as it ends.
cd /work/main
arm() {  # arm RUNS NAME [--set ...]
    local runs=$1 name=$2
    shift 2
    RUNS=$runs bash benchmarks/polypgen.sh train_sdseg $name 90 "$@" > $runs/$name.out 2>&1
    RUNS=$runs RUN=$name OUT=docs/results/polypgen_image96_cpu128_fp32 bash benchmarks/polypgen.sh score_single >> $runs/$name.out 2>&1
    date > $runs/done
}
arm runs/pg26a ref128 &
arm runs/pg26b img96 --set image_size=96 &
wait
