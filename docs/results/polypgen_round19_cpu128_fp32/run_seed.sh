#!/usr/bin/env bash
# Nineteenth round, more training seeds: `run_seed.sh SEED` trains cpu128 as it was (ref) and u32x12 at --seed SEED,
# 1000 steps each, one thread each, side by side on the same first stage (runs/pg28/ae); compared by step (val at
# 500 and 1000), as the session's time allowed. Ran for seeds 1 and 2.
# cpu128 was changed after this round (the u32x12 arm adopted); the --set options below pin the preset as it ran.
seed=${1:?usage: run_seed.sh SEED}
cd /work/main
export RUNS=runs/pg28
bash benchmarks/polypgen.sh screen ref_seed${seed}_1000 1000 --seed "$seed" \
    --set 'unet.block_out_channels=[64,128,256]' --set vision_encoder.extra_channels=0 &
bash benchmarks/polypgen.sh screen u32x12_seed${seed}_1000 1000 --seed "$seed" \
    --set 'unet.block_out_channels=[32,64,128]' --set vision_encoder.extra_channels=12
wait
