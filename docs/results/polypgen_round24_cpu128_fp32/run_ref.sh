#!/usr/bin/env bash
# Twenty-fourth round: a third training seed of cpu128 as adopted in round 23 (condition_foreground_per_image),
# 90-minute budget (first stage charged: runs/pg32/ae, itself runs/pg31/ae, copied to runs/pg33/ae, 612 s), one thread,
# beside the weight-2 screens (run_screen.sh), so adoption rests on three models. Usage: run_ref.sh SEED
cd /work/main
SEED=$1
NAME=ref_seed$SEED
export RUNS=runs/pg33 OUT=docs/results/polypgen_round24_cpu128_fp32
bash benchmarks/polypgen.sh arm $NAME 90 --seed $SEED
