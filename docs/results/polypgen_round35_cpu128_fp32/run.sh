#!/usr/bin/env bash
# Thirty-fifth round: two regularisers no round has tried, screened against cpu128 at equal steps. cpu128's val Dice
# still climbs at the end of its 90 minutes, but train and val Dice have not been compared, so whether it overfits is
# open; weight decay (0.01 in every preset so far) and dropout in the UNet's resnets (0 so far) are the cheap probes.
# wd01_seed7: training.weight_decay 0.1; dropout01_seed7: unet.dropout 0.1. Each 3000 steps (all in cpu128's 64²
# phase), training seed 7, one thread each, side by side, on round 32's first stage (runs/pg34/ae). Training at seed 7
# repeats by step (round 33's two arms matched to the fourth decimal until step 4000), so each is read against
# ref_seed7's recorded val curve at the same steps rather than a re-run of it.
# Rule, set before the results: an arm earns a full 90-minute pair against cpu128 if its mean val Dice at steps 2000,
# 2500 and 3000 is at least 0.01 above ref_seed7's (0.5002, 0.5399, 0.5560: mean 0.5320).
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round35_cpu128_fp32
while [ ! -f runs/pg35/round34.done ]; do sleep 30; done
bash benchmarks/polypgen.sh screen wd01_seed7 3000 --seed 7 --set training.weight_decay=0.1 &
bash benchmarks/polypgen.sh screen dropout01_seed7 3000 --seed 7 --set unet.dropout=0.1 &
wait
bash benchmarks/polypgen.sh record wd01_seed7 dropout01_seed7
STEPS=500,1000,1500,2000,2500,3000 .venv/bin/python benchmarks/val_by_step.py ref_seed7=docs/results/polypgen_round33_cpu128_fp32/ref_seed7_training.json \
    wd01_seed7=pg34/wd01_seed7 dropout01_seed7=pg34/dropout01_seed7 > $OUT/val_by_step.json
date > $RUNS/round35.done
