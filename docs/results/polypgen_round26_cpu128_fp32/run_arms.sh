#!/usr/bin/env bash
# Twenty-sixth round: empty = cpu128 with condition_empty_images 1 added (round 25's screen was ahead at 1000 steps at
# both seeds and split at 1500), 90-minute arms at training seeds 0 and 1, one thread each, side by side. Their val at
# 500…2000 finishes the screen (runs repeat by step; the first 1500 steps are round 25's screen again), and the whole
# arms compare with round 23's fgimg / fgimg_seed1 at equal budget. Same first stage as round 25 (runs/pg34/ae, charged
# the references' 612 s).
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round26_cpu128_fp32
PIN=(--set 'training.loss_weights={"prediction":1,"latent":1,"condition":1,"condition_foreground_per_image":1,"condition_empty_images":1}')
bash benchmarks/polypgen.sh arm empty 90 --seed 0 "${PIN[@]}" &
bash benchmarks/polypgen.sh arm empty_seed1 90 --seed 1 "${PIN[@]}" &
wait
