#!/usr/bin/env bash
# Seventeenth round, screen at 128²: the vision encoder sees the image at half size (64²) with one level fewer
# (--set 'vision_encoder={"block_out_channels":[64,128,128],"image_downscale":2}': cpu128's last three levels,
# its 128²/32-channel first level dropped), mask and first stage unchanged. 2000 steps, seed 0, one thread, on the
# sixteenth round's first stage (runs/pg27/ae). Step-budgeted: its val curve is compared at equal steps with
# runs/pg27/ref128's (cpu128 as is, deterministic per step), its pace with a cpu128 arm running beside it.
# ARM2 (optional): a second arm's name and --set options, run beside it.
cd /work/main
RUNS=runs/pg27
export OMP_NUM_THREADS=1
arm() {  # arm NAME [--set ...]
    local name=$1
    shift
    .venv/bin/sdseg train ../shared/data/polypgen --first-stage $RUNS/ae -o $RUNS/$name --config cpu128 \
        --set training.steps=2000 "$@" > $RUNS/$name.log 2>&1
    date > $RUNS/$name.done
}
arm ds2 --set 'vision_encoder={"block_out_channels":[64,128,128],"image_downscale":2}' &
if [ $# -gt 0 ]; then arm "$@" & fi
wait
