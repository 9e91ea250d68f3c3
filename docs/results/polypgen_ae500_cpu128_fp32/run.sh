#!/usr/bin/env bash
# Fourteenth round, 128², 90-minute budget each, one thread each, side by side, seed 0, cpu128 as is
# (self-trained vision encoder, condition_foreground 1 by default, mask-encoding cache on).
# A: the whole-image first stage of the tenth round (runs/pg20/ae, 1000 steps, 1456 s) -> 65.7 min SDSeg.
# B: the thirteenth round's 500-step first stage (runs/pg23b/ae, 719 s, round trip 0.960) -> 78 min SDSeg.
# Each arm scores itself (single step, plain and mirrored, one thread) as soon as it ends.
cd /work/main
arm() {  # arm RUNS NAME
    RUNS=$1 bash benchmarks/polypgen.sh train_sdseg $2 90 > $1/$2.out 2>&1
    RUNS=$1 RUN=$2 OUT=docs/results/polypgen_ae500_cpu128_fp32 bash benchmarks/polypgen.sh score_single >> $1/$2.out 2>&1
    date > $1/done
}
arm runs/pg24a ae1000 &
arm runs/pg24b ae500 &
wait
