#!/usr/bin/env bash
# nnU-Net's post-processing read on the regions arm's cross-validation (docs/results/brats6_cv_regions_2026-12-05):
# each region's mask reduced to its largest 3D connected component, on the four held-out predictions already written
# (no training). Why: BraTS tumours are one lesion per case, and SDSeg segments slice by slice, so a false alarm on a
# far slice is its own component; nnU-Net chooses this step per class on its cross-validation.
# Read before the results: the largest component becomes SDSeg's post-processing for a region (an option `sdseg
# predict` would apply, chosen per region on cross-validation as nnU-Net does) if that region's pooled held-out Dice
# rises by at least 0.01 and no more than one of the four held-out cases falls. The test ensemble is reported, not
# used to decide.
set -euo pipefail
D=runs/Dataset001_BraTS6_regions
OUT=docs/results/brats6_cv_regions_largest_component_2026-12-05
bash benchmarks/brats_regions_view.sh ../shared/data/Dataset001_BraTS6 $D
.venv/bin/python benchmarks/largest_component.py $D runs/brats6cv_regions/fold{0,1,2,3}/val > $OUT/cv.json
.venv/bin/python benchmarks/largest_component.py $D runs/brats6cv_regions/ensemble_test > $OUT/ensemble_test.json
