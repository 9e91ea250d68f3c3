#!/usr/bin/env bash
# Twenty-fourth round: screen fg2 = cpu128 with condition_foreground_per_image weight 2 (small polyps gained most from
# the per-image term in round 23), 2000 steps, seed 0 then seed 1, one thread, beside the seed-2 reference run; against
# round 23's fgimg curves (the same recipe at weight 1, deterministic by step).
cd /work/main
export RUNS=runs/pg33
PIN=(--set 'training.loss_weights={"prediction":1,"latent":1,"condition":1,"condition_foreground_per_image":2}')
bash benchmarks/polypgen.sh screen fg2_2000 2000 --seed 0 "${PIN[@]}"
bash benchmarks/polypgen.sh screen fg2_seed1_2000 2000 --seed 1 "${PIN[@]}"
D=docs/results/polypgen_round24_cpu128_fp32
OUT=$D bash benchmarks/polypgen.sh record fg2_2000 fg2_seed1_2000
STEPS=500,1000,1500,2000 .venv/bin/python benchmarks/val_by_step.py \
    "fgimg seed 0=pg32/fgimg" "fg2 seed 0=pg33/fg2_2000" "fgimg seed 1=pg32/fgimg_seed1" \
    "fg2 seed 1=pg33/fg2_seed1_2000" > $D/screen_val.json
date > $RUNS/screen.done
