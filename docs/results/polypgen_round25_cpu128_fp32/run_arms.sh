#!/usr/bin/env bash
# Twenty-fifth round: xfade = cpu128 with latent_foreground_per_image 1 fading linearly to 0 by step 1500
# (training.loss_fade_steps; round 24's constant term led val to 1000 steps and trailed by 2000), 90-minute arms at
# training seeds 0 and 1, one thread each, side by side. Their val at 500…2000 is the screen (runs repeat by step,
# against round 23's fgimg records); the whole arms compare with fgimg / fgimg_seed1 at equal budget. The first stage
# (run_ae.sh) is charged the 612 s the references were charged, so the budgets are equal; its measured seconds on
# this instance are kept in ae_seconds_measured.
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round25_cpu128_fp32
while [ ! -f $RUNS/ae_seconds ]; do sleep 10; done
[ -f $RUNS/ae_seconds_measured ] || { mv $RUNS/ae_seconds $RUNS/ae_seconds_measured; echo 612 > $RUNS/ae_seconds; }
PIN=(--set 'training.loss_weights={"prediction":1,"latent":1,"condition":1,"condition_foreground_per_image":1,"latent_foreground_per_image":1}'
     --set 'training.loss_fade_steps={"latent_foreground_per_image":1500}')
bash benchmarks/polypgen.sh arm xfade 90 --seed 0 "${PIN[@]}" &
bash benchmarks/polypgen.sh arm xfade_seed1 90 --seed 1 "${PIN[@]}" &
wait
