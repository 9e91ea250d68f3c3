#!/usr/bin/env bash
# Nineteenth round, 90-minute budget (first stage charged), one thread, seed 0, beside run_u32x12.sh.
# ref: cpu128 as is, rerun on this instance (after 8ebcb50 restored the model's construction order, so seed 0
#      should draw the sixteenth round's A weights again: its val at step 500 checks that, 0.372 expected).
# Reuses the sixteenth round's first stage (runs/pg27/ae copied to runs/pg28/ae, 612 s charged).
cd /work/main
export RUNS=runs/pg28 OUT=docs/results/polypgen_round19_cpu128_fp32
# cpu128 was changed after this round (the u32x12 arm adopted); the --set options below pin the preset as it ran.
bash benchmarks/polypgen.sh arm ref 90 --set 'unet.block_out_channels=[64,128,256]' --set vision_encoder.extra_channels=0
