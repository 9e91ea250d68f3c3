#!/usr/bin/env bash
# Twentieth round, 90-minute budget (first stage charged), one thread, seed 0, beside run_b4.sh.
# ref: cpu128 as adopted in the nineteenth round (45bb0bb), pinned here so a later preset change does not alter it.
cd /work/main
export RUNS=runs/pg29 OUT=docs/results/polypgen_round20_cpu128_fp32
bash benchmarks/polypgen.sh arm ref 90 --set 'unet.block_out_channels=[32,64,128]' --set vision_encoder.extra_channels=12 \
    --set training.batch_size=8 --set training.val_every=500 --set training.checkpoint_every=500
