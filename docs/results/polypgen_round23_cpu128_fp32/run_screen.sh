#!/usr/bin/env bash
# Twenty-third round, after the fgimg pair and its step cost: screen `both` = cpu128 as adopted this round
# (condition_foreground_per_image 1) with the batch-wide condition_foreground 1 added back, 2000 steps at training seeds
# 0 and 1, one thread each, side by side, against this round's fgimg curves (deterministic by step: the twenty-second
# round's 2000-step screens repeated them to the digit). Does the batch-wide term add to the per-image one?
cd /work/main
export RUNS=runs/pg32
PIN=(--set 'unet.block_out_channels=[32,64,128]' --set vision_encoder.extra_channels=12 --set training.batch_size=8
     --set training.val_every=500
     --set 'training.loss_weights={"prediction":1,"latent":1,"condition":1,"condition_foreground_per_image":1,"condition_foreground":1}')
bash benchmarks/polypgen.sh screen both_2000 2000 --seed 0 "${PIN[@]}" &
bash benchmarks/polypgen.sh screen both_seed1_2000 2000 --seed 1 "${PIN[@]}" &
wait
D=docs/results/polypgen_round23_cpu128_fp32
OUT=$D bash benchmarks/polypgen.sh record both_2000 both_seed1_2000
STEPS=500,1000,1500,2000 .venv/bin/python benchmarks/val_by_step.py \
    "fgimg seed 0=pg32/fgimg" "both seed 0=pg32/both_2000" "fgimg seed 1=pg32/fgimg_seed1" \
    "both seed 1=pg32/both_seed1_2000" > $D/screen_val.json
date > $RUNS/screen.done
