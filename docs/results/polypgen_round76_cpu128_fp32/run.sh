#!/usr/bin/env bash
# Seventy-sixth round: online hard-example mining on the image latent. cpu128 misses 13-21 of the 130 val polyps
# outright and marks false alarms on about 5 of the 12 polyp-free val images (rounds 68, 73): a few images with large
# errors, which the batch mean of the condition term dilutes among the easy ones. The new term condition_hardest_half
# (condition L1 per image, averaged over the worse half of each batch) is added at weight 1 to cpu128's terms.
# hard_seed7/6 train cpu128 with it, 3000 steps each on round 51's first stage, side by side, one thread each.
# Rule, set before the results: as round 51's, a 90-minute pair if the mean val Dice at steps 2000, 2500 and 3000 is
# at least 0.01 above the reference's (runs/pg51/ref_seed7, ref_seed6) at both seeds. Otherwise no preset uses it.
set -euo pipefail
cd /work/main
DONE=runs/pg51/round76.done REFS="ref_seed7=pg51/ref_seed7 ref_seed6=pg51/ref_seed6" \
    RUNS=runs/pg51 OUT=docs/results/polypgen_round76_cpu128_fp32 \
    bash benchmarks/polypgen.sh screen_pair hard 3000 \
    --set 'training.loss_weights={"prediction":1,"latent":1,"condition":2,"condition_foreground_per_image":1,"condition_hardest_half":1}'
