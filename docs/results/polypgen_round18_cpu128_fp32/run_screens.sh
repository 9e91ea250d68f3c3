#!/usr/bin/env bash
# Eighteenth round, late screens at 128², 1500 steps each, one thread each, side by side, seed 0, on the same first
# stage (runs/pg27/ae); compared by step with the 90-minute arms' curves (val at 500 / 1000 / 1500):
# unet32_extra12: both of this round's changes at once (the half-width UNet and 12 extra channels in c).
# extra28:        c with 4 + 28 channels instead of 4 + 12 (does more width through the bottleneck keep helping?).
cd /work/main
export RUNS=runs/pg27
bash benchmarks/polypgen.sh screen unet32_extra12 1500 --set 'unet.block_out_channels=[32,64,128]' \
    --set vision_encoder.extra_channels=12 &
bash benchmarks/polypgen.sh screen extra28 1500 --set vision_encoder.extra_channels=28 &
wait
