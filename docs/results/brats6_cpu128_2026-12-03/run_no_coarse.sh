#!/usr/bin/env bash
# The same BraTS6 run without cpu128's 64² head start (adopted the same day from PolypGen alone), on the same first
# stage (runs/brats6b/ae copied), budget and threads: whether the coarse phase is what moved BraTS's val.
cd /work/main
export RUNS=runs/brats6c OUT=docs/results/brats6_cpu128_2026-12-03/no_coarse THREADS=2
mkdir -p "$RUNS" && rm -rf "$RUNS/ae" && cp -r runs/brats6b/ae "$RUNS/ae"
bash benchmarks/brats6.sh train 45 --set training.coarse_size=0 --set training.coarse_steps=0
bash benchmarks/brats6.sh score > "$RUNS/score.log" 2>&1
date > "$RUNS/done"
