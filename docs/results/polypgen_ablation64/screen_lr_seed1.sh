#!/usr/bin/env bash
# Sixteenth round, on each core as its 128² arm ends: that arm's val misses (original size, incl. largest-
# component Dice), then a 64² pair at seed 1 of the peak learning rate on the taef2-encoder recipe +
# condition_foreground: 1e-3 (as is) against 4e-3 (seed 0: val 0.742 vs 0.702, test 0.694 vs 0.698).
# Both arms here, since the 64² first stage runs/r10/ae64 was retrained this session and its latent statistics
# differ from the tenth round's (first_stage_stats.py: std of means 1.4734 vs 1.4975), so the twelfth round's
# seed-1 reference (val 0.708, test 0.685) is not this first stage's. 2000 × 16, one thread each.
cd /work/main
CONDFG='training.loss_weights={"prediction":1,"latent":1,"condition":1,"condition_foreground":1}'
S=docs/results/polypgen_ablation64/screen_condfg.sh
D=docs/results/polypgen_frozen1_cpu128_fp32
after() {  # after ARM LR
    while [ ! -f runs/pg27/$1.done ]; do sleep 30; done
    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/misses.py runs/pg27/$1/best --data ../shared/data/polypgen --split val \
        -o $D/$1_val_misses.json > runs/pg27/$1_val_misses.out 2>&1
    bash $S lr$2 1 --set "$CONDFG" --set training.lr=$2
}
after ref128 1e-3 &
after frozen1 4e-3 &
wait
date > runs/pg27/screen_done
