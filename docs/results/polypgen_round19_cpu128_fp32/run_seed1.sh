#!/usr/bin/env bash
# Nineteenth round, second training seed: cpu128 and u32x12 at --seed 1, 1000 steps each, one thread each, side by
# side on the same first stage (runs/pg28/ae); compared by step (val at 500 and 1000), as the session's time allowed.
cd /work/main
export RUNS=runs/pg28
bash benchmarks/polypgen.sh screen ref_seed1_1000 1000 --seed 1 &
bash benchmarks/polypgen.sh screen u32x12_seed1_1000 1000 --seed 1 \
    --set 'unet.block_out_channels=[32,64,128]' --set vision_encoder.extra_channels=12
wait
