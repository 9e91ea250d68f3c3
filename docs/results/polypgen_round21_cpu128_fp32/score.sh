#!/usr/bin/env bash
# Twenty-first round, after both arms are done: val at original size, paired test (plain and mirrored), ref against
# the twentieth round's ref (the same run by step), misses, seconds per val step, then 10-draw stability on both.
cd /work/main
D=docs/results/polypgen_round21_cpu128_fp32 P=docs/results/polypgen_round20_cpu128_fp32
while [ ! -f runs/pg30/ref.done ] || [ ! -f runs/pg30/noattn.done ]; do sleep 30; done
for a in ref noattn; do
  OMP_NUM_THREADS=1 .venv/bin/python benchmarks/misses.py runs/pg30/$a/best --data ../shared/data/polypgen --split val -o $D/${a}_val_misses.json &
done; wait
.venv/bin/python benchmarks/paired_dice.py $D/ref_1step_summary.json $D/noattn_1step_summary.json -o $D/paired_noattn_minus_ref.json
.venv/bin/python benchmarks/paired_dice.py $D/ref_1step_mirror_summary.json $D/noattn_1step_mirror_summary.json -o $D/paired_noattn_minus_ref_mirror.json
.venv/bin/python benchmarks/paired_dice.py $P/ref_1step_summary.json $D/ref_1step_summary.json -o $D/paired_ref_minus_round20_ref.json
.venv/bin/python benchmarks/summary_misses.py $P/ref_1step_summary.json $D/ref_1step_summary.json $D/noattn_1step_summary.json > $D/misses.json
.venv/bin/python $P/elapsed.py runs/pg30 ref noattn > $D/elapsed.json
D=$D bash $P/run_stability.sh pg30/ref pg30/noattn
date > runs/pg30/post.done
