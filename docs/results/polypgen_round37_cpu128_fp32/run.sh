#!/usr/bin/env bash
# Thirty-seventh round: the weights of two of cpu128's loss terms, screened against cpu128 at seed 7. Every term has
# weight 1 since the recipe was assembled; only condition_foreground_per_image's weight was ever varied (2 trailed 1,
# twenty-fourth round). latent2_seed7: loss_weights.latent 2 (the x̂0 term; with v-prediction on the zero-terminal-SNR
# schedule it equals the prediction term at t = T-1, where three quarters of each batch train, so this mostly doubles
# the weight of the inference step); condition2_seed7: loss_weights.condition 2 (c pulled harder towards z0).
# 3000 steps each (all in cpu128's 64² phase), training seed 7, one thread each, side by side, on round 32's first
# stage (runs/pg34/ae), read against ref_seed7's recorded val at equal steps (training at a fixed seed repeats by step).
# Rule, set before the results: an arm earns a 90-minute pair if its mean val Dice at steps 2000, 2500 and 3000 is at
# least 0.01 above ref_seed7's (0.5320).
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round37_cpu128_fp32
bash benchmarks/polypgen.sh screen latent2_seed7 3000 --seed 7 --set training.loss_weights.latent=2 &
bash benchmarks/polypgen.sh screen condition2_seed7 3000 --seed 7 --set training.loss_weights.condition=2 &
wait
bash benchmarks/polypgen.sh record latent2_seed7 condition2_seed7
STEPS=500,1000,1500,2000,2500,3000 .venv/bin/python benchmarks/val_by_step.py \
    ref_seed7=docs/results/polypgen_round33_cpu128_fp32/ref_seed7_training.json \
    latent2_seed7=pg34/latent2_seed7 condition2_seed7=pg34/condition2_seed7 > $OUT/val_by_step.json
date > $RUNS/round37.done
