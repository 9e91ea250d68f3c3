#!/usr/bin/env bash
# Twenty-third round, after both fgimg arms have trained and scored their single draws: val at original size, each
# seed paired with cpu128's 90-minute run at that seed (round 21's ref, seed 0; round 22's ref, seed 1), plain and
# mirrored, misses, Dice by polyp size, the val curves by step beside cpu128's, and 10-draw stability of both models.
cd /work/main
RUNS=runs/pg32 D=docs/results/polypgen_round23_cpu128_fp32
R21=docs/results/polypgen_round21_cpu128_fp32 R22=docs/results/polypgen_round22_cpu128_fp32
while [ ! -f $RUNS/fgimg.done ] || [ ! -f $RUNS/fgimg_seed1.done ]; do sleep 30; done
for a in fgimg fgimg_seed1; do
  OMP_NUM_THREADS=1 .venv/bin/python benchmarks/misses.py $RUNS/$a/best --data ../shared/data/polypgen --split val -o $D/${a}_val_misses.json &
done; wait
for m in "" _mirror; do
  .venv/bin/python benchmarks/paired_dice.py $R21/ref_1step${m}_summary.json $D/fgimg_1step${m}_summary.json -o $D/paired_fgimg_minus_round21_ref${m}.json
  .venv/bin/python benchmarks/paired_dice.py $R22/ref_1step${m}_summary.json $D/fgimg_seed1_1step${m}_summary.json -o $D/paired_fgimg_seed1_minus_round22_ref${m}.json
done
.venv/bin/python benchmarks/summary_misses.py $R21/ref_1step_summary.json $D/fgimg_1step_summary.json \
    $R22/ref_1step_summary.json $D/fgimg_seed1_1step_summary.json > $D/misses.json
.venv/bin/python benchmarks/size_split.py $R21/ref_1step_summary.json $D/fgimg_1step_summary.json \
    $R22/ref_1step_summary.json $D/fgimg_seed1_1step_summary.json > $D/size_split.json
STEPS=500,1000,1500,2000,2500,3000,3500 .venv/bin/python benchmarks/val_by_step.py \
    "cpu128 seed 0 (round 21's ref)=pg30/ref" "fgimg seed 0=pg32/fgimg" \
    "cpu128 seed 1 (round 22's ref)=pg31/ref" "fgimg seed 1=pg32/fgimg_seed1" > $D/val_by_step.json
D=$D bash benchmarks/stability_runs.sh pg32/fgimg pg32/fgimg_seed1
date > $RUNS/post.done
