#!/usr/bin/env bash
# BraTS6 cross-validated: the class-label control (docs/results/brats6_cv_2026-12-05; pooled class mean 0.178) again
# at training seed 1 (`sdseg train --seed 1`: initialisation, batch order, noise), nothing else changed. It is the
# control for the 1500-step first stage at seed 1 (docs/results/brats6_cv_ae1500_seed1_2026-12-05), whose seed-0
# gain (+0.030 pooled, 3 of 4 folds) sits inside what a second seed alone moved the regions (+0.011 pooled, one fold
# +0.097). The folds stay seed 0's: a view of the dataset (files linked) with seed 0's folds in its
# splits_final.json (benchmarks/pin_folds.py), since `--seed` would otherwise draw new folds whose held-out cases
# the copied first stages trained on. The same 500-step first stages (copied), preset, 2000 steps.
# FOLDS (default all four) picks the folds to run now; see benchmarks/brats_cv.sh.
set -euo pipefail
DATA=$(realpath ../shared/data/Dataset001_BraTS6)
VIEW=runs/Dataset001_BraTS6_pinned
mkdir -p "$VIEW"
for entry in imagesTr labelsTr imagesTs labelsTs dataset.json; do
    ln -sfn "$DATA/$entry" "$VIEW/$entry"
done
[[ -f $VIEW/splits_final.json ]] || .venv/bin/python benchmarks/pin_folds.py "$VIEW"
DATA=$VIEW FIRST_STAGE=runs/brats6cv RUNS=runs/brats6cv_seed1 OUT=docs/results/brats6_cv_seed1_2026-12-05 \
    CONTROL=docs/results/brats6_cv_2026-12-05 SDSEG_SET="--seed 1" bash benchmarks/brats_cv.sh
