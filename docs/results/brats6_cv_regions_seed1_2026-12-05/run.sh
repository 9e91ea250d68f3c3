#!/usr/bin/env bash
# BraTS6 cross-validated: the regions record (docs/results/brats6_cv_regions_2026-12-05; pooled region mean 0.549)
# again at training seed 1 (`sdseg train --seed 1`: initialisation, batch order, noise), nothing else changed.
# Why: the augmentation arm (docs/results/brats6_cv_regions_aug_2026-12-05) moved three folds by -0.018..+0.013 and
# one by +0.142, and one seed cannot say how far a fold moves on its own; this is the control for augmentation at
# seed 1 (docs/results/brats6_cv_regions_aug_seed1_2026-12-05), and against seed 0 it measures the seed spread per
# fold that every single-seed BraTS verdict so far has lived inside.
# The folds stay seed 0's: `--seed` also draws the folds where no splits_final.json fixes them, so the regions view is
# made again with seed 0's folds written to its splits_final.json (benchmarks/pin_folds.py); the same 500-step first
# stages (copied), preset, 2000 steps. Decides nothing alone (reading.json against seed 0 is the spread).
set -euo pipefail
VIEW=runs/Dataset001_BraTS6_regions_pinned
bash benchmarks/brats_regions_view.sh ../shared/data/Dataset001_BraTS6 "$VIEW"
.venv/bin/python benchmarks/pin_folds.py "$VIEW"
DATA=$VIEW FIRST_STAGE=runs/brats6cv RUNS=runs/brats6cv_regions_seed1 \
    OUT=docs/results/brats6_cv_regions_seed1_2026-12-05 CONTROL=docs/results/brats6_cv_regions_2026-12-05 \
    SDSEG_SET="--seed 1" bash benchmarks/brats_cv.sh
