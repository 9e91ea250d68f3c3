#!/usr/bin/env bash
# Twenty-first round, 90-minute budget (first stage charged: runs/pg29/ae reused, 612 s), one thread, seed 0, beside
# run_noattn.sh. ref: cpu128 as adopted in the nineteenth round, its compared keys pinned.
cd /work/main
export RUNS=runs/pg30 OUT=docs/results/polypgen_round21_cpu128_fp32
bash benchmarks/polypgen.sh arm ref 90 --set 'unet.block_out_channels=[32,64,128]' --set vision_encoder.extra_channels=12 \
    --set training.batch_size=8 --set training.val_every=500 --set training.checkpoint_every=500
