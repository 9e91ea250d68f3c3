#!/usr/bin/env bash
# Twentieth round: is the adopted cpu128's per-image Dice std (0.030, nineteenth round's u32x12) the preset's or that
# run's? 10 noise seeds, single step, test split, one thread each, side by side:
#   pg28_ref: the nineteenth round's 90-minute model of the old cpu128 (UNet 64·[1,2,4], no extra channels)
#   pg29_ref: this round's 90-minute model of the adopted cpu128 (stopped 38 steps before u32x12)
cd /work/main
D=docs/results/polypgen_round20_cpu128_fp32
export OMP_NUM_THREADS=1
for r in pg28/ref pg29/ref; do
  .venv/bin/sdseg stability ../shared/data/polypgen --split test -m runs/$r -o runs/${r}_stability --runs 10 --batch-size 16 \
      > runs/${r}_stability.log 2>&1 && cp runs/${r}_stability/stability.json $D/${r/\//_}_stability.json &
done
wait
