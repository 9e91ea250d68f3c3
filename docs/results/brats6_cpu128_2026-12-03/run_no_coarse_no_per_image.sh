#!/usr/bin/env bash
# Against run_no_coarse.sh (cpu128 without the 64² phase: class mean 0.217, below the older recipe's 0.264): the
# per-image foreground term on c off (training.loss_weights.condition_foreground_per_image 0; the older recipe had no
# foreground term), one change, the last of cpu128's PolypGen choices to separate on BraTS (not the zero-terminal-SNR
# schedule, not three quarters at T-1, not the 500-step first stage; the networks in run_no_coarse_old_networks.sh).
# The control's recorded preset (CONFIG), same budget (45 min) and threads (2), on the old-networks run's first stage
# (runs/brats6g/ae, trained again with run.sh's command; started after that run, on the idle machine).
cd /work/main
while [ ! -f runs/brats6g/done ]; do sleep 20; done
export RUNS=runs/brats6h OUT=docs/results/brats6_cpu128_2026-12-03/no_coarse_no_per_image THREADS=2
export CONFIG=docs/results/brats6_cpu128_2026-12-03/no_coarse/sdseg_preset.json
mkdir -p "$RUNS" && rm -rf "$RUNS/ae" && cp -r runs/brats6g/ae "$RUNS/ae"
bash benchmarks/brats6.sh train 45 --set training.loss_weights.condition_foreground_per_image=0
bash benchmarks/brats6.sh score > "$RUNS/score.log" 2>&1
date > "$RUNS/done"
