#!/usr/bin/env bash
# BraTS6 cross-validated at 3000 steps: each fold of docs/results/brats6_cv_2026-12-05 (first stage and SDSeg at
# 2000 steps, runs/brats6cv) copied and resumed (`sdseg train --resume`) to 3000 steps. The recipe's learning rate is
# constant after its 200-step warm-up and the checkpoint carries the optimizer, EMA, data order and step, so this is
# the 3000-step run of the same recipe and fold. Then, as before, each fold's last/ model predicts its held-out case
# and the 2 test cases; the held-out predictions are scored as one set, and the four models ensembled on test.
# Read before the results (reading.py): per fold and pooled, val class mean and whole tumour at 3000 against 2000
# steps, paired by fold; 3000 becomes the BraTS budget in README if the pooled class mean is higher and at least 3
# of the 4 folds are. Test cases and the ensemble are reported, not used to decide.
# Two folds at a time, one thread each. Run from the repository root after `make install` and that round's run.sh.
set -euo pipefail
DATA=../shared/data/Dataset001_BraTS6
FROM=${FROM:-runs/brats6cv}
RUNS=${RUNS:-runs/brats6cv3000}
OUT=${OUT:-docs/results/brats6_cv3000_2026-12-05}
SDSEG=.venv/bin/sdseg
STEPS=${STEPS:-3000}
export OMP_NUM_THREADS=1

fold() {
    local k=$1 run=$RUNS/fold$1
    mkdir -p "$run"
    cp -r "$FROM/fold$k/ae" "$FROM/fold$k/sdseg" "$run/"
    $SDSEG train "$DATA" --first-stage "$run/ae/last" -o "$run/sdseg" --fold "$k" --resume \
        --set training.steps="$STEPS" > "$run/sdseg.log" 2>&1
    $SDSEG predict "$DATA" --split val --fold "$k" -m "$run/sdseg/last" -o "$run/val" --batch-size 32 > "$run/predict_val.log" 2>&1
    $SDSEG evaluate "$run/val" "$DATA" --split val --fold "$k" > "$run/evaluate_val.log" 2>&1
    $SDSEG predict "$DATA" -m "$run/sdseg/last" -o "$run/test" --batch-size 32 > "$run/predict_test.log" 2>&1
    $SDSEG evaluate "$run/test" "$DATA" --split test > "$run/evaluate_test.log" 2>&1
    mkdir -p "$OUT/fold$k"
    cp "$run/ae/summary.json" "$OUT/fold$k/first_stage_training.json"
    cp "$run/sdseg/summary.json" "$OUT/fold$k/sdseg_training.json"
    cp "$run/val/summary.json" "$OUT/fold$k/val_summary.json"
    cp "$run/test/summary.json" "$OUT/fold$k/test_summary.json"
}

date -u +"started %FT%TZ"
fold 0 & fold 1 & wait
fold 2 & fold 3 & wait
$SDSEG evaluate "$RUNS"/fold?/val "$DATA/labelsTr" -o "$RUNS/cv" > "$RUNS/evaluate_cv.log" 2>&1
cp "$RUNS/cv/summary.json" "$OUT/cv_summary.json"
cp "$RUNS/fold0/sdseg/preset.json" "$OUT/sdseg_preset.json"
export OMP_NUM_THREADS=2
$SDSEG predict "$DATA" -m "$RUNS/fold0/sdseg/last" -m "$RUNS/fold1/sdseg/last" -m "$RUNS/fold2/sdseg/last" \
    -m "$RUNS/fold3/sdseg/last" -o "$RUNS/ensemble_test" --batch-size 32 > "$RUNS/predict_ensemble.log" 2>&1
$SDSEG evaluate "$RUNS/ensemble_test" "$DATA" --split test > "$RUNS/evaluate_ensemble.log" 2>&1
cp "$RUNS/ensemble_test/summary.json" "$OUT/ensemble_test_summary.json"
date -u +"finished %FT%TZ"
