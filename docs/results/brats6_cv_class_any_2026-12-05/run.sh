#!/usr/bin/env bash
# BraTS6 cross-validated, one change against docs/results/brats6_cv_2026-12-05 (the control): SDSeg asked for any
# class on a training slice (`training.class_draw=any`), not only one the slice shows. Why: the control's models
# mark edema over almost the whole tumour and lose necrosis and non-enhancing tumour to it when the classes are
# combined (benchmarks/class_ceiling.py: each class thresholded on its own scores 0.241 against 0.178 combined), and
# training never asked a tumour slice for a class it lacks, though prediction asks every slice for every class.
# Same folds, the control's first stages (copied), preset, seed, 2000 steps, one thread per fold, two at a time.
# Read before the results (reading.py, paired by fold): `any` becomes the default for multi-class training if the
# pooled held-out class mean is at least 0.02 above the control's 0.178 and at least 3 of the 4 folds are above
# theirs. Whole tumour, test cases and the ensemble are reported, not used to decide.
# It ran as a standalone copy of these steps (this file at d872092); benchmarks/brats_cv.sh now holds the same
# commands. Run from the repository root after `make install` and the control's run.sh.
set -euo pipefail
FIRST_STAGE=runs/brats6cv SDSEG_SET="--set training.class_draw=any" RUNS=runs/brats6cv_any \
    OUT=docs/results/brats6_cv_class_any_2026-12-05 CONTROL=docs/results/brats6_cv_2026-12-05 bash benchmarks/brats_cv.sh
