#!/usr/bin/env bash
# Twentieth round: the per-image std of old and adopted cpu128 at equal steps -- the nineteenth round's 1000-step
# models at training seeds 1 and 2 (ref_seed*_1000: old preset; u32x12_seed*_1000: adopted). 10 noise seeds, single
# step, test split, one thread each, two at a time.
cd /work/main
D=docs/results/polypgen_round20_cpu128_fp32
export OMP_NUM_THREADS=1
for seed in 1 2; do
  for a in ref u32x12; do
    r=pg28/${a}_seed${seed}_1000
    .venv/bin/sdseg stability ../shared/data/polypgen --split test -m runs/$r -o runs/${r}_stability --runs 10 --batch-size 16 \
        > runs/${r}_stability.log 2>&1 && cp runs/${r}_stability/stability.json $D/${a}_seed${seed}_1000_stability.json &
  done
  wait
done
