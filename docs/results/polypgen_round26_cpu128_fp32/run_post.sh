#!/usr/bin/env bash
# Twenty-sixth round, after run_arms.sh: each empty model's test per image at the original size (misses.py, which keeps
# the predicted area, so the false alarms' sizes on the empty test images are read), 10-draw stability, misses and
# size split against round 23's fgimg pair, and the val curve by step against it (which finishes round 25's screen).
cd /work/main
RUNS=runs/pg34 D=docs/results/polypgen_round26_cpu128_fp32 R23=docs/results/polypgen_round23_cpu128_fp32
while [ ! -f $RUNS/empty.done ] || [ ! -f $RUNS/empty_seed1.done ]; do sleep 30; done
export OMP_NUM_THREADS=1
for r in empty empty_seed1; do
  .venv/bin/python benchmarks/misses.py $RUNS/$r/best --data ../shared/data/polypgen --split test \
      -o $D/${r}_test_misses.json > /dev/null &
done
wait
D=$D bash benchmarks/stability_runs.sh pg34/empty pg34/empty_seed1
.venv/bin/python benchmarks/summary_misses.py $R23/fgimg_1step_summary.json $R23/fgimg_seed1_1step_summary.json \
    $D/empty_1step_summary.json $D/empty_seed1_1step_summary.json > $D/misses.json
.venv/bin/python benchmarks/size_split.py $R23/fgimg_1step_summary.json \
    $R23/fgimg_seed1_1step_summary.json $D/empty_1step_summary.json $D/empty_seed1_1step_summary.json > $D/size_split.json
STEPS=500,1000,1500,2000,2500,3000 .venv/bin/python benchmarks/val_by_step.py \
    "cpu128 seed 0=$R23/fgimg_training.json" "empty seed 0=pg34/empty" \
    "cpu128 seed 1=$R23/fgimg_seed1_training.json" "empty seed 1=pg34/empty_seed1" > $D/val_by_step.json
date > $RUNS/post26.done
