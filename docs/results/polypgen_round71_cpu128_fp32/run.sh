#!/usr/bin/env bash
# Seventy-first round: the per-image foreground term on the image latent (condition_foreground_per_image) at weight 2
# instead of 1. Round 70 found the vision encoder's own estimate (c decoded) only 0.026 below the single step on val,
# so c carries most of the segmentation, and the missed polyps are recognition, not resolution (fifth round); the
# per-image term is the one adopted for small polyps (23rd round) and its weight was never varied. fgimg2_seed7/6 train
# cpu128 with it, 3000 steps each on round 51's first stage, side by side, one thread each.
# Rule, set before the results: as round 51's, a 90-minute pair if the mean val Dice at steps 2000, 2500 and 3000 is
# at least 0.01 above the reference's (runs/pg51/ref_seed7, ref_seed6) at both seeds. Otherwise cpu128 keeps weight 1.
set -euo pipefail
cd /work/main
DONE=runs/pg51/round71.done REFS="ref_seed7=pg51/ref_seed7 ref_seed6=pg51/ref_seed6" \
    RUNS=runs/pg51 OUT=docs/results/polypgen_round71_cpu128_fp32 \
    bash benchmarks/polypgen.sh screen_pair fgimg2 3000 \
    --set 'training.loss_weights={"prediction":1,"latent":1,"condition":2,"condition_foreground_per_image":2}'
