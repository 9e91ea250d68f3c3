#!/usr/bin/env bash
# Does a longer first stage raise BraTS's per-class ceiling? Folds 0 and 1 of docs/results/brats6_cv_2026-12-05:
# each fold's 500-step first stage copied and resumed (`sdseg train-autoencoder --resume`) to 1500 steps (constant
# learning rate after warm-up, so this is the 1500-step run), validating every 200 steps on the per-class round trip
# (the masks SDSeg encodes; the 500-step history before it scored the union of the classes, so best/ keeps that
# older, larger figure: read last/). Then benchmarks/class_ceiling.py's first-stage row needs an SDSeg model, so the
# per-class round trip of last/ at 500 and at 1500 is printed directly. Descriptive, set before the results: a rise
# of at least 0.05 makes a longer first stage the next BraTS CV arm. One thread per fold, both at once.
set -euo pipefail
DATA=../shared/data/Dataset001_BraTS6
FROM=${FROM:-runs/brats6cv}
RUNS=${RUNS:-runs/brats6ae1500}
OUT=${OUT:-docs/results/brats6_ae1500_2026-12-05}
SDSEG=.venv/bin/sdseg
export OMP_NUM_THREADS=1

fold() {
    local k=$1 run=$RUNS/fold$1
    mkdir -p "$run"
    cp -r "$FROM/fold$k/ae" "$run/"
    $SDSEG train-autoencoder "$DATA" -o "$run/ae" --fold "$k" --resume --set autoencoder_training.steps=1500 \
        > "$run/ae.log" 2>&1
    mkdir -p "$OUT/fold$k"
    cp "$run/ae/summary.json" "$OUT/fold$k/first_stage_training.json"
}

date -u +"started %FT%TZ"
fold 0 & fold 1 & wait
.venv/bin/python -c "
import json
from sdseg.data.sources import open_split
from sdseg.data.splits import Partition
from sdseg.models.first_stage import load_autoencoder
from sdseg.training.autoencoder import mask_round_trip_dice
rows = {}
for k in (0, 1):
    val, info = open_split('$DATA', 'val', 128, Partition(0, k))
    rows[k] = {steps: round(mask_round_trip_dice(load_autoencoder(path).eval(), val, info.num_classes), 4)
               for steps, path in ((500, '$FROM/fold%d/ae/last' % k), (1500, '$RUNS/fold%d/ae/last' % k))}
print(json.dumps(rows, indent=1))
" > "$OUT/per_class_round_trip.json"
date -u +"finished %FT%TZ"
