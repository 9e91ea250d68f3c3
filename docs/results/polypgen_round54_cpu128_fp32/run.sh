#!/usr/bin/env bash
# Fifty-fourth round: encoder capacity where it is cheap. Round 51's deeper vision encoder led at equal steps but cost
# 1.46x per step, most of it at the full-resolution levels. enc_last256_seed7/6 train today's cpu128 with the vision
# encoder's last level (1/8 of the image, and its middle block) at 256 channels instead of 128
# (vision_encoder.block_out_channels [32, 64, 128, 256]: 1.49 M -> 4.12 M parameters, few more FLOPs), 3000 steps
# each, one thread each, side by side, on round 51's first stage (runs/pg51/ae), read at equal steps against round
# 51's references ref_seed7/6. Queued after round 53.
# Rule, set before the results: it earns a 90-minute pair if the mean val Dice at steps 2000, 2500 and 3000 is at
# least 0.01 above the reference's at both seeds.
set -euo pipefail
cd /work/main
while [ ! -f runs/pg51/round53.done ]; do sleep 20; done
REFS="ref_seed7=pg51/ref_seed7 ref_seed6=pg51/ref_seed6" RUNS=runs/pg51 OUT=docs/results/polypgen_round54_cpu128_fp32 \
    bash benchmarks/polypgen.sh screen_pair enc_last256 3000 --set 'vision_encoder.block_out_channels=[32,64,128,256]'
date > runs/pg51/round54.done
