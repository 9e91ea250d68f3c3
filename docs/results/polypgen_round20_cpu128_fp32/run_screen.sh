#!/usr/bin/env bash
# Twentieth round, after the 90-minute pair: two cheaper UNets, 1000 steps each at seed 0, one thread each, side by
# side on the same first stage (runs/pg29/ae), compared by step with ref's deterministic curve (0.3491 / 0.5204 at
# 500 / 1000) and by seconds a step with ref's side-by-side timing (the vision encoder is most of a step, so a
# cheaper UNet pays only if it learns as much per step).
#   q16:    the UNet at 16·[1,2,4] instead of 32·[1,2,4]
#   noattn: the UNet at 32·[1,2,4] without attention (all DownBlock2D / UpBlock2D, no mid-block attention)
cd /work/main
export RUNS=runs/pg29
PIN=(--set vision_encoder.extra_channels=12 --set training.batch_size=8)
bash benchmarks/polypgen.sh screen q16_1000 1000 "${PIN[@]}" --set 'unet.block_out_channels=[16,32,64]' &
bash benchmarks/polypgen.sh screen noattn_1000 1000 "${PIN[@]}" --set 'unet.block_out_channels=[32,64,128]' \
    --set 'unet.down_block_types=["DownBlock2D","DownBlock2D","DownBlock2D"]' \
    --set 'unet.up_block_types=["UpBlock2D","UpBlock2D","UpBlock2D"]' --set unet.add_attention=false
wait
