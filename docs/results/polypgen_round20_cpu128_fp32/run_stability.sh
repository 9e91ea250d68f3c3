#!/usr/bin/env bash
# Twentieth round: `run_stability.sh RUN RUN` -- `sdseg stability` (10 noise seeds, single step, test split) on two
# trained models under runs/, one thread each, side by side; each stability.json is copied here as RUN's path with
# `_` for `/`. Ran for pg28/ref pg29/ref (the old and the adopted cpu128, 90 minutes each), then for the nineteenth
# round's 1000-step models at training seeds 1 and 2 (pg28/ref_seedN_1000 pg28/u32x12_seedN_1000). A later round sets D
# to its own results folder.
cd /work/main
D=${D:-docs/results/polypgen_round20_cpu128_fp32}
export OMP_NUM_THREADS=1
for r in "$@"; do
  .venv/bin/sdseg stability ../shared/data/polypgen --split test -m runs/$r -o runs/${r}_stability --runs 10 --batch-size 16 \
      > runs/${r}_stability.log 2>&1 && cp runs/${r}_stability/stability.json $D/${r/\//_}_stability.json &
done
wait
