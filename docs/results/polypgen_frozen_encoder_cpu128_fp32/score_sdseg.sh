#!/usr/bin/env bash
# Score runs/pg20/taef2enc_lrs0.1_fz1 on one thread (the baseline is still training): 1/10/50 steps, stability, mirrored
set -euo pipefail
export THREADS=1 RUNS=runs/pg20 OUT=docs/results/polypgen_frozen_encoder_cpu128_fp32
RUN=taef2enc_lrs0.1_fz1 bash benchmarks/polypgen.sh score_sdseg
export OMP_NUM_THREADS=1
.venv/bin/sdseg predict ../shared/data/polypgen --split test -m runs/pg20/taef2enc_lrs0.1_fz1 \
    -o runs/pg20/taef2enc_lrs0.1_fz1_test_mirror --no-overlays --batch-size 16 --mirror
.venv/bin/sdseg evaluate runs/pg20/taef2enc_lrs0.1_fz1_test_mirror ../shared/data/polypgen --split test
cp runs/pg20/taef2enc_lrs0.1_fz1_test_mirror/summary.json $OUT/sdseg_1step_mirror_summary.json
