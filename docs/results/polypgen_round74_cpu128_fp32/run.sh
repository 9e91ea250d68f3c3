#!/usr/bin/env bash
# Seventy-fourth round: an image-level presence head trained with the model. The vision encoder gets a small head on c
# (one 3x3 conv to 64 channels, its mean and maximum over the image, a linear layer: vision_encoder.presence_head) that
# the presence_bce term (weight 1) trains on whether each training mask holds foreground; prediction, val included,
# gives an empty mask to every image whose logit is below 0. Rounds 63-64 tried "any polyp?" rules after training
# (soft-mask cues, a probe on c) and gained at most +0.003: the false alarms are as confident as polyps, and the probe
# on a c that was never asked the question ranks well (test AUC 0.90-0.92) but not cleanly enough. Here c is asked.
# pres_seed7/6 train cpu128 with it, 3000 steps each on round 51's first stage, side by side, one thread each.
# Rule, set before the results: as round 51's, a 90-minute pair if the mean val Dice at steps 2000, 2500 and 3000 is
# at least 0.01 above the reference's (runs/pg51/ref_seed7, ref_seed6) at both seeds. Otherwise no preset uses it.
set -euo pipefail
cd /work/main
DONE=runs/pg51/round74.done REFS="ref_seed7=pg51/ref_seed7 ref_seed6=pg51/ref_seed6" \
    RUNS=runs/pg51 OUT=docs/results/polypgen_round74_cpu128_fp32 \
    bash benchmarks/polypgen.sh screen_pair pres 3000 --set vision_encoder.presence_head=true \
    --set 'training.loss_weights={"prediction":1,"latent":1,"condition":2,"condition_foreground_per_image":1,"presence_bce":1}'
