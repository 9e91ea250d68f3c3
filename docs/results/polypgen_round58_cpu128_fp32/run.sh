#!/usr/bin/env bash
# Fifty-eighth round: each image standardised (per channel, mean 0 and std 1) inside the vision encoder. PolypGen comes
# from several centres whose lighting and colour differ; cpu128 sees each image as read, scaled to [-1, 1], and its
# encoder must learn that variation away. standardize_seed7/6 train cpu128 with vision_encoder.standardize_image true,
# 3000 steps each on round 51's first stage, side by side, one thread each, queued after round 57.
# Rule, set before the results: as round 51's, a 90-minute pair if the mean val Dice at steps 2000, 2500 and 3000 is
# at least 0.01 above the reference's (runs/pg51/ref_seed7, ref_seed6) at both seeds.
set -euo pipefail
cd /work/main
AFTER=runs/pg51/round57.done DONE=runs/pg51/round58.done REFS="ref_seed7=pg51/ref_seed7 ref_seed6=pg51/ref_seed6" \
    RUNS=runs/pg51 OUT=docs/results/polypgen_round58_cpu128_fp32 \
    bash benchmarks/polypgen.sh screen_pair standardize 3000 --set vision_encoder.standardize_image=true
