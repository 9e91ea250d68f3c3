#!/usr/bin/env bash
# One change against run_no_coarse.sh (cpu128 without the 64² phase: class mean 0.217, below the older recipe's 0.264):
# half of each batch at t = T-1 (the older recipe's share) instead of three quarters, to go on separating which of
# cpu128's PolypGen choices costs BraTS (the zero-terminal-SNR schedule did not: run_no_coarse_no_zsnr.sh). Its
# recorded preset repeated exactly (CONFIG), same budget (45 min) and threads (2), on the same first stage as the
# no-zsnr run (runs/brats6d/ae, round trip 0.8583, bitwise the recorded one).
cd /work/main
export RUNS=runs/brats6e OUT=docs/results/brats6_cpu128_2026-12-03/no_coarse_final50 THREADS=2
export CONFIG=docs/results/brats6_cpu128_2026-12-03/no_coarse/sdseg_preset.json
mkdir -p "$RUNS" && rm -rf "$RUNS/ae" && cp -r runs/brats6d/ae "$RUNS/ae"
bash benchmarks/brats6.sh train 45 --set training.final_timestep_fraction=0.5
bash benchmarks/brats6.sh score > "$RUNS/score.log" 2>&1
date > "$RUNS/done"
