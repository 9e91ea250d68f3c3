#!/usr/bin/env bash
# The control (docs/results/brats6_cv_2026-12-05, four labels) scored on BraTS's regions: its label maps, unchanged,
# evaluated against the region view (benchmarks/brats_regions_view.sh), per fold, pooled, and its test ensemble, so
# that the region-trained arm (run.sh) is read against the control on the same three regions, paired by fold.
set -euo pipefail
VIEW=runs/Dataset001_BraTS6_regions
FROM=${FROM:-runs/brats6cv}
CONTROL=docs/results/brats6_cv_2026-12-05
OUT=docs/results/brats6_cv_regions_2026-12-05/control_on_regions
SDSEG=.venv/bin/sdseg
bash benchmarks/brats_regions_view.sh ../shared/data/Dataset001_BraTS6 "$VIEW"
for k in 0 1 2 3; do
    mkdir -p "$OUT/fold$k"
    $SDSEG evaluate "$FROM/fold$k/val" "$VIEW" --split val --fold "$k" -o "$FROM/fold$k/val_regions" > /dev/null
    $SDSEG evaluate "$FROM/fold$k/test" "$VIEW" --split test -o "$FROM/fold$k/test_regions" > /dev/null
    cp "$FROM/fold$k/val_regions/summary.json" "$OUT/fold$k/val_summary.json"
    cp "$FROM/fold$k/test_regions/summary.json" "$OUT/fold$k/test_summary.json"
    cp "$CONTROL/fold$k/first_stage_training.json" "$CONTROL/fold$k/sdseg_training.json" "$OUT/fold$k/"
done
$SDSEG evaluate "$FROM"/fold?/val "$VIEW/labelsTr" -o "$FROM/cv_regions" > /dev/null
cp "$FROM/cv_regions/summary.json" "$OUT/cv_summary.json"
$SDSEG evaluate "$FROM/ensemble_test" "$VIEW" --split test -o "$FROM/ensemble_test_regions" > /dev/null
cp "$FROM/ensemble_test_regions/summary.json" "$OUT/ensemble_test_summary.json"
