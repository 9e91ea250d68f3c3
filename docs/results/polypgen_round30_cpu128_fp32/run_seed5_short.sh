#!/usr/bin/env bash
# Thirtieth round, a short repeat: at seed 4 the 64² head start led val at equal time from 27 to 65 minutes and was
# level by 75. Does the lead repeat at another training seed over a shorter budget? The same pair at seed 5, 55 minutes
# each (45 of SDSeg after the charged 612 s first stage), side by side, one thread each; read at equal time from each
# run's val history (no test scoring: this is about the curve, not a model to keep).
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round30_cpu128_fp32
bash benchmarks/polypgen.sh train_sdseg ref_seed5_short 55 --seed 5 &
bash benchmarks/polypgen.sh train_sdseg coarse64_seed5_short 55 --seed 5 --set training.coarse_size=64 --set training.coarse_steps=2000 &
wait
bash benchmarks/polypgen.sh record ref_seed5_short coarse64_seed5_short
date > $RUNS/seed5_short.done
