#!/usr/bin/env bash
# screen_condfg.sh NAME SEED [--set ...]: the tenth round's 64² taef2-encoder arm (scale 0.1, first level frozen), 2000 steps, one thread
set -euo pipefail
export OMP_NUM_THREADS=1
name=$1 seed=$2; shift 2
o=runs/abl64i_${name}_seed$seed
.venv/bin/python benchmarks/recipe_ablation.py ../shared/data/polypgen --first-stage runs/r10/ae64 --config tiny --steps 2000 \
  --seed $seed -o $o --jobs 1 --arms v_cond_final --vision-encoder-init ../shared/weights/taef2 \
  --set training.vision_encoder_lr_scale=0.1 --set training.vision_encoder_frozen_levels=1 "$@" > $o.log 2>&1
