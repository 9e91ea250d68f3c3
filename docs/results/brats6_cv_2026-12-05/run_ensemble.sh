#!/usr/bin/env bash
# After run.sh: the four folds' last models as one ensemble (sdseg predict with -m repeated) on the 2 test cases.
set -euo pipefail
DATA=../shared/data/Dataset001_BraTS6
RUNS=${RUNS:-runs/brats6cv}
OUT=${OUT:-docs/results/brats6_cv_2026-12-05}
SDSEG=.venv/bin/sdseg
export OMP_NUM_THREADS=${THREADS:-2}
$SDSEG predict "$DATA" -m "$RUNS/fold0/sdseg/last" -m "$RUNS/fold1/sdseg/last" -m "$RUNS/fold2/sdseg/last" \
    -m "$RUNS/fold3/sdseg/last" -o "$RUNS/ensemble_test" --batch-size 32 > "$RUNS/predict_ensemble.log" 2>&1
$SDSEG evaluate "$RUNS/ensemble_test" "$DATA" --split test > "$RUNS/evaluate_ensemble.log" 2>&1
cp "$RUNS/ensemble_test/summary.json" "$OUT/ensemble_test_summary.json"
