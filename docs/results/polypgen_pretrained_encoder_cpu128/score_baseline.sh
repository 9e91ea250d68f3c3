#!/usr/bin/env bash
# Score the taef2unet baseline (plain, and mirrored from its kept weights) and the paired differences
set -euo pipefail
export THREADS=2 RUNS=runs/pg18 OUT=docs/results/polypgen_pretrained_encoder_cpu128
ln -sfn baseline_taef2 runs/pg18/baseline
bash benchmarks/polypgen.sh score_baseline
OMP_NUM_THREADS=2 .venv/bin/python benchmarks/baseline_unet.py ../shared/data/polypgen -o runs/pg18/baseline_taef2_mirror \
    --config cpu128 --network taef2unet --weights runs/pg18/baseline_taef2/model.safetensors --mirror --threads 2
.venv/bin/sdseg evaluate runs/pg18/baseline_taef2_mirror/predictions ../shared/data/polypgen --split test
cp runs/pg18/baseline_taef2_mirror/predictions/summary.json $OUT/baseline_mirror_summary.json
.venv/bin/python benchmarks/paired_dice.py $OUT/baseline_summary.json $OUT/sdseg_1step_summary.json \
    -o $OUT/sdseg_vs_taef2unet_test.json
.venv/bin/python benchmarks/paired_dice.py docs/results/polypgen_recipe_cpu128_bf16_full/baseline_summary.json \
    $OUT/sdseg_1step_summary.json -o $OUT/sdseg_vs_basicunet_test.json
