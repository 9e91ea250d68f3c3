#!/usr/bin/env bash
# Seventy-fifth round: the single step from zeros instead of noise (training.terminal_noise_std 0, Lotus-D's
# deterministic variant). cpu128's schedule has zero terminal SNR, so at t = T-1 z_t is the noise alone and the
# v-prediction target is -z0 whatever the noise: the noise carries nothing, and three quarters of each batch (T-1)
# ask the UNet to learn to ignore 4 of its 20 input channels. With zeros there, z_T = 0 in prediction too (saved in
# sdseg.json); items at other t keep their noise. term0_seed7/6 train cpu128 with it, 3000 steps each on round 51's
# first stage, side by side, one thread each.
# Rule, set before the results: as round 51's, a 90-minute pair if the mean val Dice at steps 2000, 2500 and 3000 is
# at least 0.01 above the reference's (runs/pg51/ref_seed7, ref_seed6) at both seeds. Otherwise no preset uses it.
set -euo pipefail
cd /work/main
DONE=runs/pg51/round75.done REFS="ref_seed7=pg51/ref_seed7 ref_seed6=pg51/ref_seed6" \
    RUNS=runs/pg51 OUT=docs/results/polypgen_round75_cpu128_fp32 \
    bash benchmarks/polypgen.sh screen_pair term0 3000 --set training.terminal_noise_std=0
