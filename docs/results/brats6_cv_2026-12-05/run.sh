#!/usr/bin/env bash
# BraTS6 cross-validated: the 4 training cases in 4 folds (sdseg --fold, seeded; one held-out case each), the BraTS
# control recipe of docs/results/brats6_cpu128_2026-12-03/pair2_control (cpu128 of that date without the 64² phase)
# trained per fold from its own first stage, both on that fold's 3 cases only, for a fixed step count.
# Nothing is selected on the held-out case: each fold's last/ first stage and last/ SDSeg model predict it (and the
# 2 test cases). Two folds at a time, one thread each. Run from the repository root after `make install`.
set -euo pipefail
DATA=../shared/data/Dataset001_BraTS6
RUNS=${RUNS:-runs/brats6cv}
OUT=${OUT:-docs/results/brats6_cv_2026-12-05}
PRESET=docs/results/brats6_cpu128_2026-12-03/pair2_control/sdseg_preset.json
SDSEG=.venv/bin/sdseg
STEPS=${STEPS:-2000}
export OMP_NUM_THREADS=1

fold() {
    local k=$1 run=$RUNS/fold$1
    mkdir -p "$run"
    $SDSEG train-autoencoder "$DATA" -o "$run/ae" --config "$PRESET" --fold "$k" \
        --set autoencoder_training.mask_foreground_weight=10 --set autoencoder_training.val_every=200 > "$run/ae.log" 2>&1
    $SDSEG train "$DATA" --first-stage "$run/ae/last" -o "$run/sdseg" --config "$PRESET" --fold "$k" \
        --set training.steps="$STEPS" --set training.max_minutes=0 --set training.val_every=1000 \
        --set training.checkpoint_every=500 > "$run/sdseg.log" 2>&1
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
mkdir -p "$RUNS/cv"
cp "$RUNS"/fold?/val/*.nii.gz "$RUNS/cv/"
$SDSEG evaluate "$RUNS/cv" "$DATA/labelsTr" > "$RUNS/evaluate_cv.log" 2>&1
cp "$RUNS/cv/summary.json" "$OUT/cv_summary.json"
cp "$PRESET" "$OUT/sdseg_preset.json"
date -u +"finished %FT%TZ"
