#!/usr/bin/env bash
# after both arms are done: val at original size, paired test, misses
cd /work/main
D=docs/results/polypgen_round20_cpu128_fp32 P=docs/results/polypgen_round19_cpu128_fp32
while [ ! -f runs/pg29/ref.done ] || [ ! -f runs/pg29/b4.done ]; do sleep 30; done
for a in ref b4; do
  OMP_NUM_THREADS=1 .venv/bin/python benchmarks/misses.py runs/pg29/$a/best --data ../shared/data/polypgen --split val -o $D/${a}_val_misses.json &
done; wait
.venv/bin/python benchmarks/paired_dice.py $D/ref_1step_summary.json $D/b4_1step_summary.json -o $D/paired_b4_minus_ref.json
.venv/bin/python benchmarks/paired_dice.py $D/ref_1step_mirror_summary.json $D/b4_1step_mirror_summary.json -o $D/paired_b4_minus_ref_mirror.json
.venv/bin/python benchmarks/paired_dice.py $P/u32x12_1step_summary.json $D/ref_1step_summary.json -o $D/paired_ref_minus_round19_u32x12.json
.venv/bin/python benchmarks/summary_misses.py $P/u32x12_1step_summary.json $D/ref_1step_summary.json $D/b4_1step_summary.json > $D/misses.json
date > runs/pg29/post.done
