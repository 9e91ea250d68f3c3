#!/usr/bin/env bash
# Twenty-fifth round, after run_arms.sh: each xfade model's val and test per image at the original size (misses.py, which
# keeps the predicted area), the minimum-area rule chosen on val and reported on test (min_area.py), 10-draw stability,
# misses and size split against round 23's fgimg pair, the val curve by step against it, and the val checks' cost.
cd /work/main
RUNS=runs/pg34 D=docs/results/polypgen_round25_cpu128_fp32 R23=docs/results/polypgen_round23_cpu128_fp32
while [ ! -f $RUNS/xfade.done ] || [ ! -f $RUNS/xfade_seed1.done ]; do sleep 30; done
export OMP_NUM_THREADS=1
for split in val test; do
  for r in xfade xfade_seed1; do
    .venv/bin/python benchmarks/misses.py $RUNS/$r/best --data ../shared/data/polypgen --split $split \
        -o $D/${r}_${split}_misses.json > /dev/null &
  done
  wait
done
.venv/bin/python $D/min_area.py $D/xfade_val_misses.json $D/xfade_test_misses.json \
    $D/xfade_seed1_val_misses.json $D/xfade_seed1_test_misses.json > $D/min_area.json
D=$D bash benchmarks/stability_runs.sh pg34/xfade pg34/xfade_seed1
.venv/bin/python benchmarks/summary_misses.py $R23/fgimg_1step_summary.json $R23/fgimg_seed1_1step_summary.json \
    $D/xfade_1step_summary.json $D/xfade_seed1_1step_summary.json > $D/misses.json
.venv/bin/python benchmarks/size_split.py $R23/fgimg_1step_summary.json \
    $R23/fgimg_seed1_1step_summary.json $D/xfade_1step_summary.json $D/xfade_seed1_1step_summary.json > $D/size_split.json
STEPS=500,1000,1500,2000,2500,3000 .venv/bin/python benchmarks/val_by_step.py \
    "cpu128 seed 0=$R23/fgimg_training.json" "xfade seed 0=pg34/xfade" \
    "cpu128 seed 1=$R23/fgimg_seed1_training.json" "xfade seed 1=pg34/xfade_seed1" > $D/val_by_step.json
.venv/bin/python $D/val_cost.py $RUNS/xfade.log $RUNS/xfade_seed1.log > $D/val_cost.json
date > $RUNS/post.done
