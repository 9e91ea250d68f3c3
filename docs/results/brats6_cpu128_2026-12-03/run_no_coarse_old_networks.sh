#!/usr/bin/env bash
# Against run_no_coarse.sh (cpu128 without the 64² phase: class mean 0.217, below the older recipe's 0.264): the older
# recipe's networks — the first stage's own vision encoder (16·[1,2,4,4], no free channels in c) and the UNet at
# 64·[1,2,4] — in place of cpu128's (32·[1,2,4,4] with 12 free channels, UNet 32·[1,2,4]), one change of the networks
# alone, to go on separating which of cpu128's PolypGen choices costs BraTS (not the zero-terminal-SNR schedule, not
# three quarters at T-1, not the 500-step first stage). The control's recorded preset (CONFIG), same budget (45 min)
# and threads (2). A fresh checkout, so the first stage is trained again with run.sh's command, seed and threads, as
# for the no-zsnr run (its round trip shows whether it is the same one: 0.8583 recorded).
cd /work/main
export RUNS=runs/brats6g OUT=docs/results/brats6_cpu128_2026-12-03/no_coarse_old_networks THREADS=2
export CONFIG=docs/results/brats6_cpu128_2026-12-03/no_coarse/sdseg_preset.json
bash benchmarks/brats6.sh train 45 --set 'vision_encoder={}' --set 'unet.block_out_channels=[64,128,256]'
bash benchmarks/brats6.sh score > "$RUNS/score.log" 2>&1
date > "$RUNS/done"
