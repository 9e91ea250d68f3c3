#!/usr/bin/env bash
# Thirteenth round, 128², 90-minute budget each, one thread each, side by side, seed 0.
# A: taef2-encoder recipe (scale 0.1, fz1) with cpu128 as now (condition_foreground 1), the tenth round's whole-image
#    first stage (runs/pg20/ae, 1000 steps, 1456 s) -> 65.7 min SDSeg.
# B: the same, but its own first stage at 500 steps (timed inside the budget) -> more SDSeg minutes.
cd /work/main
ENC="--set vision_encoder={} --vision-encoder-init ../shared/weights/taef2 --set training.vision_encoder_lr_scale=0.1 --set training.vision_encoder_frozen_levels=1"
RUNS=runs/pg23a bash benchmarks/polypgen.sh train_sdseg taef2enc_condfg 90 $ENC > runs/pg23a/run.out 2>&1 &
RUNS=runs/pg23b AE_ARGS="--set autoencoder_training.steps=500" bash benchmarks/polypgen.sh train_sdseg taef2enc_condfg_ae500 90 $ENC > runs/pg23b/run.out 2>&1 &
wait
date > runs/pg23a/train_done
