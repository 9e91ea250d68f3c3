#!/usr/bin/env bash
# One change against run_no_coarse.sh (cpu128 without the 64² phase: class mean 0.217, below the older recipe's 0.264):
# the plain scaled-linear schedule instead of the zero-terminal-SNR one, to begin separating which of cpu128's
# PolypGen choices costs BraTS. Its recorded preset repeated exactly (CONFIG), same budget (45 min) and threads (2).
# A fresh checkout, so the first stage is trained again with the same command, seed and threads as run.sh's (its
# round trip shows whether it is the same one: 0.858 recorded).
cd /work/main
export RUNS=runs/brats6d OUT=docs/results/brats6_cpu128_2026-12-03/no_coarse_no_zsnr THREADS=2
export CONFIG=docs/results/brats6_cpu128_2026-12-03/no_coarse/sdseg_preset.json
bash benchmarks/brats6.sh train 45 --set scheduler.rescale_betas_zero_snr=false
bash benchmarks/brats6.sh score > "$RUNS/score.log" 2>&1
date > "$RUNS/done"
