#!/usr/bin/env bash
# Twentieth round, the no-attention UNet at seeds 1 and 2, 1000 steps each, one thread each, side by side on the same
# first stage (runs/pg29/ae). `cpu128` at these seeds is the nineteenth round's u32x12_seed1_1000 / u32x12_seed2_1000
# (deterministic per step: 0.339 / 0.525 and 0.414 / 0.548 at 500 / 1000), so only the candidate runs.
cd /work/main
export RUNS=runs/pg29
NOATTN=(--set vision_encoder.extra_channels=12 --set training.batch_size=8 --set 'unet.block_out_channels=[32,64,128]'
        --set 'unet.down_block_types=["DownBlock2D","DownBlock2D","DownBlock2D"]'
        --set 'unet.up_block_types=["UpBlock2D","UpBlock2D","UpBlock2D"]' --set unet.add_attention=false)
bash benchmarks/polypgen.sh screen noattn_seed1_1000 1000 --seed 1 "${NOATTN[@]}" &
bash benchmarks/polypgen.sh screen noattn_seed2_1000 1000 --seed 2 "${NOATTN[@]}"
wait
