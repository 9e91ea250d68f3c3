#!/usr/bin/env bash
# PolypGen end to end on a CPU, as recorded in docs/RESULTS.md. Run from the repository root
# after `make install`; the data is read from ../shared/data/polypgen (never copied).
#
#   bash benchmarks/polypgen.sh [BUDGET_MINUTES] [SDSEG_STEPS]
#
# The baseline trains concurrently with the SDSeg chain (first stage, then SDSeg), one
# thread each, for the same wall-clock budget, so both see the same machine load.
set -euo pipefail
BUDGET=${1:-85}
STEPS=${2:-4000}
DATA=../shared/data/polypgen
RUNS=runs/polypgen
SDSEG=.venv/bin/sdseg
mkdir -p "$RUNS"
export OMP_NUM_THREADS=1

.venv/bin/python benchmarks/baseline_unet.py "$DATA" -o "$RUNS/baseline" --image-size 128 \
    --minutes "$BUDGET" --threads 1 --val-every 250 > "$RUNS/baseline.log" 2>&1 &
baseline=$!

$SDSEG train-autoencoder "$DATA" -o "$RUNS/ae" --config cpu128 > "$RUNS/ae.log" 2>&1
$SDSEG train "$DATA" --first-stage "$RUNS/ae" -o "$RUNS/sdseg" --config cpu128 \
    --set training.steps="$STEPS" > "$RUNS/sdseg.log" 2>&1
wait $baseline

export OMP_NUM_THREADS=2
for steps in 1 10 50; do
    out="$RUNS/pred_$steps"
    $SDSEG predict "$DATA" --split test -m "$RUNS/sdseg" -o "$out" --steps "$steps" --no-overlays \
        > "$RUNS/predict_$steps.log" 2>&1
    $SDSEG evaluate "$out" "$DATA" --split test
done
$SDSEG evaluate "$RUNS/baseline/predictions" "$DATA" --split test
$SDSEG stability "$DATA" --split test -m "$RUNS/sdseg" -o "$RUNS/stability" --runs 10

mkdir -p docs/results/polypgen
for steps in 1 10 50; do cp "$RUNS/pred_$steps/summary.json" "docs/results/polypgen/sdseg_${steps}step_summary.json"; done
cp "$RUNS/baseline/predictions/summary.json" docs/results/polypgen/baseline_summary.json
cp "$RUNS/baseline/baseline.json" docs/results/polypgen/baseline_training.json
cp "$RUNS/stability/stability.json" docs/results/polypgen/sdseg_stability.json
cp "$RUNS/ae/summary.json" docs/results/polypgen/first_stage_training.json
cp "$RUNS/sdseg/summary.json" docs/results/polypgen/sdseg_training.json
