#!/usr/bin/env bash
# BraTS6 cross-validated, one change against docs/results/brats6_cv_2026-12-05 (the control): SDSeg trained on
# nnU-Net's BraTS regions (whole tumour, tumour core, enhancing tumour; benchmarks/brats_regions_view.sh) instead of
# the four labels. Why: SDSeg gives each class its own binary latent and its own threshold, which fits nested regions
# (each thresholded on its own, painted in order) better than exclusive classes combined by the most probable one:
# the control's own masks thresholded each alone score 0.241 against 0.178 combined (class_ceiling.json there), and
# its edema mask covers most of the tumour, which is the whole-tumour region's target.
# Same folds (same case names), the control's 500-step first stages (copied), preset, seed, 2000 steps.
# Read before the results (reading.json against control_on_regions/, the control's label maps scored on the same
# three regions by score_control.sh): regions become the recommended BraTS labels (a region-based dataset.json) if the
# pooled held-out mean over the three regions is at least 0.02 above the control's and at least 3 of the 4 folds
# are above theirs. Test cases and the ensemble are reported, not used to decide.
set -euo pipefail
bash benchmarks/brats_regions_view.sh ../shared/data/Dataset001_BraTS6 runs/Dataset001_BraTS6_regions
DATA=runs/Dataset001_BraTS6_regions FIRST_STAGE=runs/brats6cv RUNS=runs/brats6cv_regions \
    OUT=docs/results/brats6_cv_regions_2026-12-05 CONTROL=docs/results/brats6_cv_regions_2026-12-05/control_on_regions \
    bash benchmarks/brats_cv.sh
