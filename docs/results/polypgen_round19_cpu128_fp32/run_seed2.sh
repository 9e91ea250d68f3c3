#!/usr/bin/env bash
# Nineteenth round, third training seed: cpu128 and u32x12 at --seed 2, 1000 steps each, one thread each, side by
# side on the same first stage (runs/pg28/ae); compared by step (val at 500 and 1000), as the session's time allowed.
# cpu128 was changed after this round (the u32x12 arm adopted); the --set options below pin the preset as it ran.
cd /work/main
export RUNS=runs/pg28
bash benchmarks/polypgen.sh screen ref_seed2_1000 1000 --seed 2 \
    --set 'unet.block_out_channels=[64,128,256]' --set vision_encoder.extra_channels=0 &
bash benchmarks/polypgen.sh screen u32x12_seed2_1000 1000 --seed 2 \
    --set 'unet.block_out_channels=[32,64,128]' --set vision_encoder.extra_channels=12
wait
