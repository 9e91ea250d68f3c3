#!/usr/bin/env bash
# Score runs/pg18/taef2enc on one thread (the baseline is still training): 1/10/50 steps, stability, mirrored test
set -euo pipefail
export THREADS=1 RUNS=runs/pg18 OUT=docs/results/polypgen_pretrained_encoder_cpu128
RUN=taef2enc bash benchmarks/polypgen.sh score_sdseg
export OMP_NUM_THREADS=1
.venv/bin/sdseg predict ../shared/data/polypgen --split test -m runs/pg18/taef2enc -o runs/pg18/taef2enc_test_mirror \
    --no-overlays --batch-size 16 --mirror
.venv/bin/sdseg evaluate runs/pg18/taef2enc_test_mirror ../shared/data/polypgen --split test
cp runs/pg18/taef2enc_test_mirror/summary.json $OUT/sdseg_1step_mirror_summary.json
.venv/bin/python benchmarks/paired_dice.py docs/results/polypgen_recipe_cpu128_bf16cl/sdseg_1step_summary.json \
    $OUT/sdseg_1step_summary.json -o $OUT/pretrained_vs_bf16cl_test.json
