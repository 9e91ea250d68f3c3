#!/usr/bin/env bash
# Eighteenth round, last: 1000 steps each, one thread each, side by side, same first stage (runs/pg27/ae).
# ref_1000:          cpu128 as is at seed 0: its step time on this instance beside the candidate (A's 90-minute run was
#                    on a faster instance) and a check that its curve repeats A's (deterministic by step).
# u32x12_seed1_1000: the candidate (unet32_extra12) at training seed 1: is its lead at 500 / 1000 more than one seed's luck?
cd /work/main
export RUNS=runs/pg27
bash benchmarks/polypgen.sh screen ref_1000 1000 &
bash benchmarks/polypgen.sh screen u32x12_seed1_1000 1000 --set 'unet.block_out_channels=[32,64,128]' \
    --set vision_encoder.extra_channels=12 --seed 1 &
wait
