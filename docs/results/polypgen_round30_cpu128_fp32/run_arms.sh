#!/usr/bin/env bash
# Thirtieth round: progressive resizing. Every full-budget change so far that made a step cheaper (96², batch 4,
# a frozen or narrow first level, the image at half size) tied at equal time: the 90-minute runs are compute-bound
# and still climbing at the end. A 64² step of cpu128 costs about a third of a 128² one (bench_train.py: 0.38 s
# against 1.21 s side by side on this instance), and the first steps are where val climbs fastest (0.45 at 500,
# 0.60 at 2000), so coarse64 trains its first 2000 steps at 64² (new keys training.coarse_size / coarse_steps; about
# 13 minutes) and the rest at 128², against cpu128 itself, side by side, one thread each, 90 minutes each, at a fifth
# training seed, 4 (a fifth seed of today's cpu128 too). Same first stage (runs/pg34/ae, charged its 612 s).
# Rule, set before the results: cpu128 takes coarse64 if its best val Dice at the original size is at least 0.01
# above ref_seed4's (the rounds' single-run resolution), with its per-image std over 10 draws still <= 0.02.
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round30_cpu128_fp32
[ -f $RUNS/ae_seconds_measured ] || { mv $RUNS/ae_seconds $RUNS/ae_seconds_measured; echo 612 > $RUNS/ae_seconds; }
bash benchmarks/polypgen.sh arm ref_seed4 90 --seed 4 &
bash benchmarks/polypgen.sh arm coarse64_seed4 90 --seed 4 --set training.coarse_size=64 --set training.coarse_steps=2000 &
wait
