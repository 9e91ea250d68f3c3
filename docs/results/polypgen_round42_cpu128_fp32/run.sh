#!/usr/bin/env bash
# Forty-second round: issue 10's own protocol for today's cpu128 (loss_weights.condition 2, adopted in round 39), at a
# training seed no run has used, 10. SDSeg and the supervised baseline (MONAI BasicUNet, same image size, augmentation,
# data and seed) train side by side, one thread each, 90 minutes each; SDSeg's 90 include the first stage, charged the
# recorded 612 s of round 32's (runs/pg34/ae, copied). Then `score`: single step, DDIM-10, DDIM-50, speed, 10-draw
# stability and the baseline's test summary, side by side in this folder.
# What it checks, set before the results: the "done when" for the CPU — SDSeg's single-step test Dice >= the
# baseline's and >= 0.75, with per-image std over 10 draws <= 0.02. Nothing is selected here; whatever it scores is
# recorded as the second seed of today's cpu128 (seed 9 scored 0.737 in round 39).
cd /work/main
export RUNS=runs/pg36 OUT=docs/results/polypgen_round42_cpu128_fp32
mkdir -p $RUNS
[ -d $RUNS/ae ] || cp -r runs/pg34/ae $RUNS/ae
echo 612 > $RUNS/ae_seconds
SEED=10 bash benchmarks/polypgen.sh train 90
THREADS=2 bash benchmarks/polypgen.sh score
.venv/bin/python benchmarks/misses.py $RUNS/sdseg/best --data ../shared/data/polypgen --split val \
    -o $OUT/sdseg_val_misses.json > /dev/null
date > $RUNS/round42.done
