#!/usr/bin/env bash
# Eighteenth round, 90-minute budget (first stage charged), one thread, seed 0, beside one other one-thread arm.
# unet32: cpu128 with its UNet half as wide, 32·[1,2,4] instead of 64·[1,2,4]:
#         the vision encoder does most of the learning (L1(c, z0) asks it for the mask latent itself) and most of
#         a step's time, so a cheaper UNet may buy more steps than it costs in what the model learns.
# Reuses the sixteenth round's first stage (runs/pg27/ae, 612 s charged) and compares with its arm A
# (runs/pg27/ref128, cpu128 as is; deterministic by step, not rerun).
cd /work/main
export RUNS=runs/pg27 OUT=docs/results/polypgen_round18_cpu128_fp32
bash benchmarks/polypgen.sh arm unet32 90 --set 'unet.block_out_channels=[32,64,128]'
