#!/usr/bin/env bash
# Twenty-first round, 90-minute budget (first stage charged), one thread, seed 0, beside run_ref.sh.
# noattn: cpu128's UNet without attention (all DownBlock2D / UpBlock2D, no mid-block attention) -- at 1000 steps it led
#         cpu128's curve at three seeds by +0.014 / +0.018 (means at 500 / 1000) and cost 3-4 % less a step
#         (twentieth round), so it may end ahead over the full budget. Everything else as in ref.
cd /work/main
export RUNS=runs/pg30 OUT=docs/results/polypgen_round21_cpu128_fp32
bash benchmarks/polypgen.sh arm noattn 90 --set 'unet.block_out_channels=[32,64,128]' --set vision_encoder.extra_channels=12 \
    --set training.batch_size=8 --set training.val_every=500 --set training.checkpoint_every=500 \
    --set 'unet.down_block_types=["DownBlock2D","DownBlock2D","DownBlock2D"]' \
    --set 'unet.up_block_types=["UpBlock2D","UpBlock2D","UpBlock2D"]' --set unet.add_attention=false
