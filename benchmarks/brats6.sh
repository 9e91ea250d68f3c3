#!/usr/bin/env bash
# BraTS6 (3D MRI, 2 channels, 4 tumour classes) end to end on a CPU, as recorded in docs/RESULTS.md.
# Run from the repository root after `make install`; the data is read from ../shared/data (never copied).
#
#   bash benchmarks/brats6.sh train [SDSEG_MINUTES] [--set KEY=VALUE ...]   # first stage once, then SDSeg
#   bash benchmarks/brats6.sh score                                         # test cases -> $OUT
#
# The first stage weights tumour pixels 10x (sub-regions are small); SDSeg trains for a wall-clock
# budget (training.max_minutes) with the cpu128 preset, validating on the held-out training case.
# CONFIG (default cpu128) names the preset, or a recorded run's sdseg_preset.json to repeat that run exactly:
# docs/results/brats6_cpu128_2026-12-03 is cpu128 as of that date (RUNS=runs/brats6b, train 45); the default OUT,
# brats6_cpu128_recipe, an earlier cpu128 (a 1000-step first stage, the first stage's vision encoder, 0.5 at T-1).
set -euo pipefail
DATA=../shared/data/Dataset001_BraTS6
RUNS=${RUNS:-runs/brats6}
OUT=${OUT:-docs/results/brats6_cpu128_recipe}
SDSEG=.venv/bin/sdseg
CONFIG=${CONFIG:-cpu128}
export OMP_NUM_THREADS=${THREADS:-2}
mkdir -p "$RUNS"

train() {
    local minutes=${1:-60}
    shift || true
    if [ ! -f "$RUNS/ae/summary.json" ]; then
        $SDSEG train-autoencoder "$DATA" -o "$RUNS/ae" --config "$CONFIG" \
            --set autoencoder_training.mask_foreground_weight=10 --set autoencoder_training.val_every=200 \
            > "$RUNS/ae.log" 2>&1
    fi
    $SDSEG train "$DATA" --first-stage "$RUNS/ae" -o "$RUNS/sdseg" --config "$CONFIG" \
        --set training.steps=100000 --set training.max_minutes="$minutes" \
        --set training.val_every=1000 --set training.checkpoint_every=500 "$@" > "$RUNS/sdseg.log" 2>&1
}

score() {
    mkdir -p "$OUT"
    $SDSEG predict "$DATA" -m "$RUNS/sdseg" -o "$RUNS/pred" --batch-size 32 | tee "$RUNS/predict.log"
    $SDSEG evaluate "$RUNS/pred" "$DATA" --split test
    cp "$RUNS/pred/summary.json" "$OUT/sdseg_1step_summary.json"
    cp "$RUNS/sdseg/summary.json" "$OUT/sdseg_training.json"
    cp "$RUNS/sdseg/preset.json" "$OUT/sdseg_preset.json"
    cp "$RUNS/ae/summary.json" "$OUT/first_stage_training.json"
}

"$@"
