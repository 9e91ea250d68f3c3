#!/usr/bin/env bash
# Twenty-fourth round, after the seed-2 run and the weight-2 screens: the seed-2 model's val at original size, misses,
# Dice by polyp size and 10-draw stability beside round 23's two seeds; then screen xfg = cpu128 with
# latent_foreground_per_image 1 added (the per-image foreground term on x̂0), 2000 steps at seeds 0 and 1 side by side,
# against round 23's fgimg curves.
cd /work/main
RUNS=runs/pg33 D=docs/results/polypgen_round24_cpu128_fp32 R23=docs/results/polypgen_round23_cpu128_fp32
while [ ! -f $RUNS/ref_seed2.done ] || [ ! -f $RUNS/screen.done ]; do sleep 30; done
OMP_NUM_THREADS=1 .venv/bin/python benchmarks/misses.py $RUNS/ref_seed2/best --data ../shared/data/polypgen --split val \
    -o $D/ref_seed2_val_misses.json &
D=$D bash benchmarks/stability_runs.sh pg33/ref_seed2
wait
.venv/bin/python benchmarks/summary_misses.py $R23/fgimg_1step_summary.json $R23/fgimg_seed1_1step_summary.json \
    $D/ref_seed2_1step_summary.json > $D/misses.json
.venv/bin/python benchmarks/size_split.py $R23/fgimg_1step_summary.json \
    $R23/fgimg_seed1_1step_summary.json $D/ref_seed2_1step_summary.json > $D/size_split.json
STEPS=500,1000,1500,2000,2500,3000 .venv/bin/python benchmarks/val_by_step.py \
    "seed 0=pg32/fgimg" "seed 1=pg32/fgimg_seed1" "seed 2=pg33/ref_seed2" > $D/val_by_step.json
export RUNS
PIN=(--set 'training.loss_weights={"prediction":1,"latent":1,"condition":1,"condition_foreground_per_image":1,"latent_foreground_per_image":1}')
bash benchmarks/polypgen.sh screen xfg_2000 2000 --seed 0 "${PIN[@]}" &
bash benchmarks/polypgen.sh screen xfg_seed1_2000 2000 --seed 1 "${PIN[@]}" &
wait
OUT=$D bash benchmarks/polypgen.sh record xfg_2000 xfg_seed1_2000
STEPS=500,1000,1500,2000 .venv/bin/python benchmarks/val_by_step.py \
    "fgimg seed 0=pg32/fgimg" "xfg seed 0=pg33/xfg_2000" "fgimg seed 1=pg32/fgimg_seed1" \
    "xfg seed 1=pg33/xfg_seed1_2000" > $D/screen_xfg_val.json
date > $RUNS/post.done
