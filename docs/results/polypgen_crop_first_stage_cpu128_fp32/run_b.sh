#!/usr/bin/env bash
# 128² on this AMD machine (fp32), one thread: the tenth round's taef2enc_lrs0.1_fz1 around the crop-trained
# first stage (runs/pg21/ae -> ae_crop64, 431 s), so SDSeg gets 90 - 7.2 min.
set -euo pipefail
date > runs/pg21/taef2enc_started
RUNS=runs/pg21 bash benchmarks/polypgen.sh train_sdseg taef2enc_lrs0.1_fz1 90 --set 'vision_encoder={}' \
    --vision-encoder-init ../shared/weights/taef2 --set training.vision_encoder_lr_scale=0.1 \
    --set training.vision_encoder_frozen_levels=1
date > runs/pg21/taef2enc_done
