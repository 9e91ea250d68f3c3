#!/usr/bin/env bash
# One arm of the BraTS6 cross-validation (docs/results/brats6_cv_2026-12-05 is the control): the 4 training cases in
# 4 seeded folds (sdseg --fold), SDSeg trained per fold on its 3 cases for a fixed step count from that fold's own
# first stage, each fold's last/ model predicting its held-out case and the 2 test cases, then the held-out cases
# scored together, the four models' ensemble on test, benchmarks/class_ceiling.py, and, given CONTROL, the reading
# paired by fold (benchmarks/cv_reading.py). Two folds at a time, one thread each. An arm's record (its run.sh) sets
# the variables below and calls this, so arms differ only where their record says.
#   RUNS, OUT           where the models go, where the record's JSON goes (both required)
#   FIRST_STAGE         a finished arm's runs folder whose foldK/ae/ is copied; empty: train each fold's first stage
#   FIRST_STAGE_STEPS   resume the copied first stage (sdseg train-autoencoder --resume) to this many steps when it
#                       has fewer
#   SDSEG_SET           further `--set key=value` options for sdseg train (the arm's one change)
#   STEPS, PRESET       SDSeg steps per fold (2000) and the preset (the BraTS control's)
#   CONTROL             a record folder to read this arm against (its cv_summary.json and foldK/)
#   FOLDS               the folds to run now, two at a time ("0 1 2 3"); the pooled scoring, ensemble, ceiling and
#                       reading run once every fold's held-out case is predicted, so an arm can run over two sessions
# Run from the repository root after `make install`.
set -euo pipefail
: "${RUNS:?set RUNS}" "${OUT:?set OUT}"
DATA=${DATA:-../shared/data/Dataset001_BraTS6}
PRESET=${PRESET:-docs/results/brats6_cpu128_2026-12-03/pair2_control/sdseg_preset.json}
STEPS=${STEPS:-2000}
FIRST_STAGE=${FIRST_STAGE:-}
FIRST_STAGE_STEPS=${FIRST_STAGE_STEPS:-}
SDSEG_SET=${SDSEG_SET:-}
CONTROL=${CONTROL:-}
FOLDS=(${FOLDS:-0 1 2 3})
SDSEG=.venv/bin/sdseg
PYTHON=.venv/bin/python
export OMP_NUM_THREADS=1

steps_of() { "$PYTHON" -c "import json, sys; print(json.load(open(sys.argv[1]))['steps'])" "$1/summary.json"; }

first_stage() {
    local k=$1 run=$2
    if [[ -z $FIRST_STAGE ]]; then
        $SDSEG train-autoencoder "$DATA" -o "$run/ae" --config "$PRESET" --fold "$k" \
            --set autoencoder_training.mask_foreground_weight=10 --set autoencoder_training.val_every=200 \
            > "$run/ae.log" 2>&1
        return
    fi
    [[ -d $run/ae ]] || cp -r "$FIRST_STAGE/fold$k/ae" "$run/"
    if [[ -n $FIRST_STAGE_STEPS && $(steps_of "$run/ae") -lt $FIRST_STAGE_STEPS ]]; then
        $SDSEG train-autoencoder "$DATA" -o "$run/ae" --fold "$k" --resume \
            --set autoencoder_training.steps="$FIRST_STAGE_STEPS" > "$run/ae.log" 2>&1
    fi
}

fold() {
    local k=$1 run=$RUNS/fold$1
    mkdir -p "$run" "$OUT/fold$k"
    first_stage "$k" "$run"
    # shellcheck disable=SC2086  # SDSEG_SET is a list of options
    $SDSEG train "$DATA" --first-stage "$run/ae/last" -o "$run/sdseg" --config "$PRESET" --fold "$k" \
        --set training.steps="$STEPS" --set training.max_minutes=0 --set training.val_every=1000 \
        --set training.checkpoint_every=500 $SDSEG_SET > "$run/sdseg.log" 2>&1
    $SDSEG predict "$DATA" --split val --fold "$k" -m "$run/sdseg/last" -o "$run/val" --batch-size 32 > "$run/predict_val.log" 2>&1
    $SDSEG evaluate "$run/val" "$DATA" --split val --fold "$k" > "$run/evaluate_val.log" 2>&1
    $SDSEG predict "$DATA" -m "$run/sdseg/last" -o "$run/test" --batch-size 32 > "$run/predict_test.log" 2>&1
    $SDSEG evaluate "$run/test" "$DATA" --split test > "$run/evaluate_test.log" 2>&1
    cp "$run/ae/summary.json" "$OUT/fold$k/first_stage_training.json"
    cp "$run/sdseg/summary.json" "$OUT/fold$k/sdseg_training.json"
    cp "$run/val/summary.json" "$OUT/fold$k/val_summary.json"
    cp "$run/test/summary.json" "$OUT/fold$k/test_summary.json"
}

date -u +"started %FT%TZ"
for ((i = 0; i < ${#FOLDS[@]}; i += 2)); do
    fold "${FOLDS[i]}" & { [[ -z ${FOLDS[i + 1]:-} ]] || fold "${FOLDS[i + 1]}"; } & wait
done
for k in 0 1 2 3; do
    [[ -f $RUNS/fold$k/val/summary.json ]] || { date -u +"fold $k to run; finished %FT%TZ"; exit 0; }
done
$SDSEG evaluate "$RUNS"/fold?/val "$DATA/labelsTr" -o "$RUNS/cv" > "$RUNS/evaluate_cv.log" 2>&1
cp "$RUNS/cv/summary.json" "$OUT/cv_summary.json"
cp "$RUNS/fold0/sdseg/preset.json" "$OUT/sdseg_preset.json"
export OMP_NUM_THREADS=2
$SDSEG predict "$DATA" -m "$RUNS/fold0/sdseg/last" -m "$RUNS/fold1/sdseg/last" -m "$RUNS/fold2/sdseg/last" \
    -m "$RUNS/fold3/sdseg/last" -o "$RUNS/ensemble_test" --batch-size 32 > "$RUNS/predict_ensemble.log" 2>&1
$SDSEG evaluate "$RUNS/ensemble_test" "$DATA" --split test > "$RUNS/evaluate_ensemble.log" 2>&1
cp "$RUNS/ensemble_test/summary.json" "$OUT/ensemble_test_summary.json"
"$PYTHON" benchmarks/class_ceiling.py "$DATA" "$RUNS"/fold{0,1,2,3}/sdseg/last > "$OUT/class_ceiling.json"
if [[ -n $CONTROL ]]; then
    "$PYTHON" benchmarks/cv_reading.py "$OUT" --against "$CONTROL" > "$OUT/reading.json"
fi
date -u +"finished %FT%TZ"
