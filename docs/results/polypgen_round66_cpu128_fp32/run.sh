#!/usr/bin/env bash
# Sixty-sixth round: round 65's oversampling at a third seed (5), and a stronger dose beside it. Round 65's verdict
# stands (not met: mean val at 2000-3000 +0.010 and +0.003, ahead at 5 of 6 checks). oversample_seed5 repeats it
# (training.foreground_fraction 0.84: the 96 polyp-free training images twice); oversample4_seed5 draws them four
# times (0.75: 384 of 1453 draws an epoch). 3000 steps each on round 51's first stage, side by side, one thread each,
# read against runs/pg51/ref_seed5 (round 55's cpu128 screen at seed 5).
# Rule, set before the results: a 90-minute pair against cpu128 (next session) for an arm whose mean val Dice at steps
# 2000, 2500 and 3000 is at least 0.01 above ref_seed5's; with both above, the one with the higher mean.
set -euo pipefail
cd /work/main
export RUNS=runs/pg51 OUT=docs/results/polypgen_round66_cpu128_fp32
bash benchmarks/polypgen.sh screen oversample_seed5 3000 --seed 5 --set training.foreground_fraction=0.84 &
bash benchmarks/polypgen.sh screen oversample4_seed5 3000 --seed 5 --set training.foreground_fraction=0.75 &
wait
REFS="ref_seed5=pg51/ref_seed5" bash benchmarks/polypgen.sh read_screens oversample_seed5 oversample4_seed5
date > "$RUNS/round66.done"
