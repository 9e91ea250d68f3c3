#!/usr/bin/env bash
# BraTS6 cross-validated: augmentation on regions (docs/results/brats6_cv_regions_aug_2026-12-05) at training seed 1,
# against the regions control at seed 1 (docs/results/brats6_cv_regions_seed1_2026-12-05, run first). Same pinned
# folds, 500-step first stages (copied), preset, 2000 steps, the same augmentation.
# Read before the results, over both seeds (seed 0: pooled 0.549 -> 0.579, folds +0.013, -0.018, +0.142, -0.014):
# augmentation becomes the BraTS recipe if the mean over the two seeds of the pooled held-out region mean's gain
# (augmentation minus the control at the same seed) is at least 0.02 and at least 6 of the 8 fold-seed pairs are
# ahead. Test cases and the ensemble are reported, not used to decide.
set -euo pipefail
VIEW=runs/Dataset001_BraTS6_regions_pinned
bash benchmarks/brats_regions_view.sh ../shared/data/Dataset001_BraTS6 "$VIEW"
.venv/bin/python benchmarks/pin_folds.py "$VIEW"
AUG='augmentation={"flips":true,"rotate_degrees":20,"scale":0.15,"shift":0.1,"brightness":0.1,"contrast":0.15}'
DATA=$VIEW FIRST_STAGE=runs/brats6cv RUNS=runs/brats6cv_regions_aug_seed1 \
    OUT=docs/results/brats6_cv_regions_aug_seed1_2026-12-05 CONTROL=docs/results/brats6_cv_regions_seed1_2026-12-05 \
    SDSEG_SET="--seed 1 --set $AUG" bash benchmarks/brats_cv.sh
