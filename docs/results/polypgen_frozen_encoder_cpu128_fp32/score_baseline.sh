#!/usr/bin/env bash
# Score the taef2unet baseline (lr 1e-4) and the paired differences
set -euo pipefail
export THREADS=2 RUNS=runs/pg20 OUT=docs/results/polypgen_frozen_encoder_cpu128_fp32
ln -sfn baseline_taef2_lr1e-4 runs/pg20/baseline
bash benchmarks/polypgen.sh score_baseline
.venv/bin/python benchmarks/paired_dice.py $OUT/baseline_summary.json $OUT/sdseg_1step_summary.json \
    -o $OUT/sdseg_vs_taef2unet_test.json
.venv/bin/python benchmarks/paired_dice.py docs/results/polypgen_pretrained_encoder_cpu128/sdseg_1step_summary.json \
    $OUT/sdseg_1step_summary.json -o $OUT/vs_eighth_round_taef2enc_test.json
