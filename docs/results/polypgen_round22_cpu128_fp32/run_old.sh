#!/usr/bin/env bash
# Twenty-second round, 90-minute budget (first stage charged), one thread, training seed 1, beside run_ref.sh.
# old: cpu128 as it was before the nineteenth round (UNet 64·[1,2,4], no free feature channels in c). Its one
#      90-minute model (seed 0) had a per-image std of 0.022 over 10 draws against 0.030-0.032 for three cpu128
#      models; a second old model says whether that gap belongs to the preset or to one model.
cd /work/main
export RUNS=runs/pg31 OUT=docs/results/polypgen_round22_cpu128_fp32
bash benchmarks/polypgen.sh arm old 90 --seed 1 --set 'unet.block_out_channels=[64,128,256]' \
    --set vision_encoder.extra_channels=0 --set training.batch_size=8 --set training.val_every=500 \
    --set training.checkpoint_every=500
