#!/usr/bin/env bash
# Thirty-sixth round: the vision encoder's learning rate relative to the UNet's, screened against cpu128 at seed 7.
# The encoder starts from the first stage's encoder and every condition loss pulls its output c towards the mask latent,
# while the UNet starts from scratch; both learn at lr 5e-4. training.vision_encoder_lr_scale was screened only with
# taef2's pretrained encoder (ninth round), never with the self-trained first stage cpu128 uses. Arms: encoder_lr2_seed7
# (scale 2) and encoder_lr05_seed7 (scale 0.5), 3000 steps each (all in cpu128's 64² phase), training seed 7, one thread
# each, side by side, on round 32's first stage (runs/pg34/ae), read against ref_seed7's recorded val at equal steps
# (training at a fixed seed repeats by step; round 33).
# Rule, set before the results: an arm earns a 90-minute pair if its mean val Dice at steps 2000, 2500 and 3000 is at
# least 0.01 above ref_seed7's (0.5320).
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round36_cpu128_fp32
bash benchmarks/polypgen.sh screen encoder_lr2_seed7 3000 --seed 7 --set training.vision_encoder_lr_scale=2 &
bash benchmarks/polypgen.sh screen encoder_lr05_seed7 3000 --seed 7 --set training.vision_encoder_lr_scale=0.5 &
wait
bash benchmarks/polypgen.sh record encoder_lr2_seed7 encoder_lr05_seed7
STEPS=500,1000,1500,2000,2500,3000 .venv/bin/python benchmarks/val_by_step.py \
    ref_seed7=docs/results/polypgen_round33_cpu128_fp32/ref_seed7_training.json \
    encoder_lr2_seed7=pg34/encoder_lr2_seed7 encoder_lr05_seed7=pg34/encoder_lr05_seed7 > $OUT/val_by_step.json
date > $RUNS/round36.done
