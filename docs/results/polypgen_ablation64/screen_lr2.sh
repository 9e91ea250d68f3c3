#!/usr/bin/env bash
# Fifteenth round, on each core as its 128² arm ends: that arm's val misses (incl. largest-component Dice),
# then a 64² screen of the peak learning rate on the taef2-encoder recipe + condition_foreground (reference:
# twelfth round's condfg seed 0 at lr 1e-3, val 0.702, test 0.698): lr 2e-3 run to the end (it was stopped at
# step 1500 in the fourteenth round) and lr 4e-3. 2000 × 16, seed 0, one thread each.
cd /work/main
CONDFG='training.loss_weights={"prediction":1,"latent":1,"condition":1,"condition_foreground":1}'
S=docs/results/polypgen_ablation64/screen_condfg.sh
D=docs/results/polypgen_image96_cpu128_fp32
after() {  # after RUNS ARM LR
    while [ ! -f $1/done ]; do sleep 30; done
    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/misses.py $1/$2/best --data ../shared/data/polypgen --split val \
        -o $D/$2_val_misses.json > $1/$2_val_misses.out 2>&1
    bash $S lr$3 0 --set "$CONDFG" --set training.lr=$3
}
after runs/pg26a ref128 2e-3 &
after runs/pg26b img96 4e-3 &
wait
date > runs/pg26a/screen_done
