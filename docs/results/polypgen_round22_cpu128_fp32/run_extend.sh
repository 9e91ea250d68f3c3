#!/usr/bin/env bash
# Twenty-second round, after run_post.sh: the two 2000-step fgimg screens led cpu128's curves by +0.11-0.12 at step 500,
# and the twenty-first round showed an early lead can fade, so each is continued to 3000 steps (a copy of its folder,
# resumed from its step-2000 checkpoint; one thread each, side by side, as far as the session's time allowed) and
# compared with cpu128's curves at 2500 / 3000. A resumed cpu128 run is not bitwise the uninterrupted one
# (a known leftover), so these steps are close to, not exactly, an uninterrupted run's.
cd /work/main
RUNS=runs/pg31 D=docs/results/polypgen_round22_cpu128_fp32
while [ ! -f $RUNS/post.done ]; do sleep 30; done
export OMP_NUM_THREADS=1
for seed in 0 1; do
  tag=$([ $seed = 0 ] || echo _seed$seed)
  rm -rf $RUNS/fgimg${tag}_3000 && cp -r $RUNS/fgimg${tag}_2000 $RUNS/fgimg${tag}_3000
  .venv/bin/sdseg train ../shared/data/polypgen --first-stage $RUNS/ae -o $RUNS/fgimg${tag}_3000 --resume --seed $seed \
      --set training.steps=3000 > $RUNS/fgimg${tag}_3000.log 2>&1 &
done
wait
for r in fgimg_3000 fgimg_seed1_3000; do cp $RUNS/$r/summary.json $D/${r}_training.json; done
STEPS=500,1000,1500,2000,2500,3000 .venv/bin/python benchmarks/val_by_step.py \
    "cpu128 seed 0 (twenty-first round's ref)=pg30/ref" "fgimg seed 0=pg31/fgimg_3000" \
    "cpu128 seed 1 (this round's ref)=pg31/ref" "fgimg seed 1=pg31/fgimg_seed1_3000" > $D/screen_val_3000.json
date > $RUNS/extend.done
