#!/usr/bin/env bash
# 64² screen, taef2-encoder recipe + condition_foreground (reference: twelfth round's condfg seed 0, lr 1e-3, val 0.702,
# test 0.698): the peak learning rate doubled and halved. 2000 × 16, seed 0, one thread each, side by side.
cd /work/main
CONDFG='training.loss_weights={"prediction":1,"latent":1,"condition":1,"condition_foreground":1}'
S=docs/results/polypgen_ablation64/screen_condfg.sh
bash $S lr2e-3 0 --set "$CONDFG" --set training.lr=2e-3 &
bash $S lr5e-4 0 --set "$CONDFG" --set training.lr=5e-4 &
wait
date > runs/pg25/screen_lr_done
