#!/usr/bin/env bash
# Twenty-fifth round, after run_post.sh: screen empty = cpu128 with condition_empty_images 1 added (the image-latent L1
# on the images without foreground: false alarms on them are polyp-sized, so no area rule removes them), seeds 0 and 1
# side by side, one thread each, against round 23's fgimg records (runs repeat by step). 1500 steps only: what was
# left of the session; a decision needs 2000.
cd /work/main
export RUNS=runs/pg34
D=docs/results/polypgen_round25_cpu128_fp32 R23=docs/results/polypgen_round23_cpu128_fp32
PIN=(--set 'training.loss_weights={"prediction":1,"latent":1,"condition":1,"condition_foreground_per_image":1,"condition_empty_images":1}')
bash benchmarks/polypgen.sh screen empty_1500 1500 --seed 0 "${PIN[@]}" &
bash benchmarks/polypgen.sh screen empty_seed1_1500 1500 --seed 1 "${PIN[@]}" &
wait
OUT=$D bash benchmarks/polypgen.sh record empty_1500 empty_seed1_1500
STEPS=500,1000,1500 .venv/bin/python benchmarks/val_by_step.py \
    "cpu128 seed 0=$R23/fgimg_training.json" "empty seed 0=pg34/empty_1500" \
    "cpu128 seed 1=$R23/fgimg_seed1_training.json" "empty seed 1=pg34/empty_seed1_1500" > $D/screen_empty_val.json
date > $RUNS/screen.done
