#!/usr/bin/env bash
# Sixty-fifth round: the polyp-free training images drawn twice (training.foreground_fraction 0.84: 192 of 1261 draws
# an epoch instead of 96 of 1165). Rounds 63-64 found the false alarms on polyp-free images no post-processing
# problem, and the 90-minute models mark a false alarm on 24-30 of the 96 polyp-free images they trained on
# (round 64's train_empty.json): the loss does not fit them. oversample_seed7/6 train cpu128 with that share, 3000
# steps each on round 51's first stage, side by side, one thread each, queued after round 62.
# Rule, set before the results: as round 51's, a 90-minute pair if the mean val Dice at steps 2000, 2500 and 3000 is
# at least 0.01 above the reference's (runs/pg51/ref_seed7, ref_seed6) at both seeds.
set -euo pipefail
cd /work/main
AFTER=runs/pg51/round62.done DONE=runs/pg51/round65.done REFS="ref_seed7=pg51/ref_seed7 ref_seed6=pg51/ref_seed6" \
    RUNS=runs/pg51 OUT=docs/results/polypgen_round65_cpu128_fp32 \
    bash benchmarks/polypgen.sh screen_pair oversample 3000 --set training.foreground_fraction=0.84
