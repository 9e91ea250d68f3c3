#!/usr/bin/env bash
# Fifty-second round: a deeper UNet. cpu128's UNet has one ResNet block per level where SD's and the paper's have
# two; its width was tried (twenty-first round and others) but not its depth. unet_depth2_seed7/6 train today's
# cpu128 with unet.layers_per_block 2, 3000 steps each, one thread each, side by side, on round 51's first stage
# (runs/pg51/ae, this machine's), read at equal steps against round 51's references ref_seed7/6 (today's cpu128 on
# this machine). Queued after round 51.
# Rule, set before the results: depth 2 earns a 90-minute pair if the mean val Dice at steps 2000, 2500 and 3000 is
# at least 0.01 above the reference's at both seeds.
set -euo pipefail
cd /work/main
while [ ! -f runs/pg51/round51.done ]; do sleep 20; done
REFS="ref_seed7=pg51/ref_seed7 ref_seed6=pg51/ref_seed6" RUNS=runs/pg51 OUT=docs/results/polypgen_round52_cpu128_fp32 \
    bash benchmarks/polypgen.sh screen_pair unet_depth2 3000 --set unet.layers_per_block=2
date > runs/pg51/round52.done
