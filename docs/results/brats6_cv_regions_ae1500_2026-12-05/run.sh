#!/usr/bin/env bash
# BraTS6 cross-validated: the two adopted changes together, read against docs/results/brats6_cv_regions_2026-12-05
# (regions, 500-step first stages; pooled region mean 0.549). One change against that record: each fold's first stage
# is the 1500-step one of docs/results/brats6_cv_ae1500_2026-12-05 (copied from runs/brats6cv_ae1500) instead of the
# 500-step one. Why: each change won alone (regions +0.140 over the labels' control; the 1500-step first stage +0.030
# on the labels and its ceiling 0.52 -> 0.63), and the regions arm's ceiling says the first stage still loses some of
# the masks (class_ceiling.json there); whether the two add up is not known until measured.
# Same folds, preset, seed, 2000 SDSeg steps, same regions view of the data.
# Read before the results (reading.json against the regions record): the 1500-step first stage becomes the regions
# recipe too if the pooled held-out mean over the three regions is at least 0.02 above 0.549 and at least 3 of the 4
# folds are above theirs. Test cases and the ensemble are reported, not used to decide.
set -euo pipefail
bash benchmarks/brats_regions_view.sh ../shared/data/Dataset001_BraTS6 runs/Dataset001_BraTS6_regions
DATA=runs/Dataset001_BraTS6_regions FIRST_STAGE=runs/brats6cv_ae1500 RUNS=runs/brats6cv_regions_ae1500 \
    OUT=docs/results/brats6_cv_regions_ae1500_2026-12-05 CONTROL=docs/results/brats6_cv_regions_2026-12-05 \
    bash benchmarks/brats_cv.sh
