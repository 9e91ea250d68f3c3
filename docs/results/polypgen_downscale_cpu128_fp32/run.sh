#!/usr/bin/env bash
# Seventeenth round, screen at 128²: the vision encoder sees the image at half size (64²) with one level fewer
# (--set 'vision_encoder={"block_out_channels":[64,128,128],"image_downscale":2}': cpu128's last three levels,
# its 128²/32-channel first level dropped), mask and first stage unchanged. 2000 steps, seed 0, one thread, on the
# sixteenth round's first stage (runs/pg27/ae). Step-budgeted: its val curve is compared at equal steps with
# runs/pg27/ref128's (cpu128 as is, deterministic per step); its encoder's cost comes from bench_step_parts.py.
# Optional arguments NAME STEPS [--set ...]: a second screen run beside it.
cd /work/main
export RUNS=runs/pg27
bash benchmarks/polypgen.sh screen ds2 2000 --set 'vision_encoder={"block_out_channels":[64,128,128],"image_downscale":2}' &
if [ $# -gt 0 ]; then bash benchmarks/polypgen.sh screen "$@" & fi
wait
