#!/usr/bin/env bash
# Seventeenth round, 90-minute budget each (first stage charged), one thread each, side by side, seed 0.
# Both arms reuse the sixteenth round's first stage (runs/pg27/ae, 500 cpu128 steps, 612 s charged to each)
# and compare with its arm A (runs/pg27/ref128, cpu128 as is), which ran the same way: beside one other
# one-thread training arm. cpu128's curve is deterministic by step (it repeated the earlier rounds to every
# digit), so the reference is not rerun.
# narrow16: the vision encoder's first level 16 channels wide, as the first stage's, so every first-level
#           tensor starts from the first stage's weights (cpu128's 32-channel level starts random); cheaper.
# lr1e-3:   cpu128 at twice its learning rate (the 64² screens' val preferred the higher rate at both seeds).
# Each arm (benchmarks/polypgen.sh arm) scores itself (single step, plain and mirrored, one thread) as soon as it ends.
cd /work/main
export RUNS=runs/pg27 OUT=docs/results/polypgen_narrow16_lr1e-3_cpu128_fp32
bash benchmarks/polypgen.sh arm narrow16 90 --set 'vision_encoder={"block_out_channels":[16,64,128,128]}' &
bash benchmarks/polypgen.sh arm lr1e-3 90 --set training.lr=0.001 &
wait
