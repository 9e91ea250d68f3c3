#!/usr/bin/env bash
# Twentieth round, 90-minute budget (first stage charged), one thread, seed 0, beside run_ref.sh.
# b4: cpu128 at batch 4 instead of 8 -- the model underfits (seventh round: train Dice 0.77), so twice the updates
#     for the same images may learn more in the same minutes. Validation and checkpoints every 1000 steps instead
#     of 500, so both arms validate after the same number of images (the same validation cost); lr, warm-up steps
#     and EMA as in cpu128.
cd /work/main
export RUNS=runs/pg29 OUT=docs/results/polypgen_round20_cpu128_fp32
bash benchmarks/polypgen.sh arm b4 90 --set 'unet.block_out_channels=[32,64,128]' --set vision_encoder.extra_channels=12 \
    --set training.batch_size=4 --set training.val_every=1000 --set training.checkpoint_every=1000
