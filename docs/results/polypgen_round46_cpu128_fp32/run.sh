#!/usr/bin/env bash
# Forty-sixth round: cpu128's prediction term is L1 (the paper's); at t = T-1 under the zero-terminal-SNR schedule the
# v target is -z0, so it and the latent term are the same L1 on x0 there. Misses of whole polyps are cpu128's main
# error (round 44: misses.json), and a missed polyp is a few latent pixels with a large error, whose L1 gradient is no
# larger than a small error's. prediction_mse (the squared error, diffusers' usual objective) replaces the prediction
# term: mse_seed7 and mse_seed6 train today's cpu128 with training.loss_weights.prediction 0 and prediction_mse 1 for
# 3000 steps each, one thread each, side by side, on round 32's first stage, read at equal steps against the recorded
# condition2_seed7 and condition2_seed6 (today's cpu128; rounds 37 and 38).
# Rule, set before the results: the squared error earns a 90-minute pair if the mean val Dice at steps 2000, 2500 and
# 3000 is at least 0.01 above cpu128's at both seeds.
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round46_cpu128_fp32
MSE=(--set training.loss_weights.prediction=0 --set training.loss_weights.prediction_mse=1)
bash benchmarks/polypgen.sh screen mse_seed7 3000 --seed 7 "${MSE[@]}" &
bash benchmarks/polypgen.sh screen mse_seed6 3000 --seed 6 "${MSE[@]}" &
wait
REFS="condition2_seed7=docs/results/polypgen_round37_cpu128_fp32/condition2_seed7_training.json
      condition2_seed6=docs/results/polypgen_round38_cpu128_fp32/condition2_seed6_training.json" \
    bash benchmarks/polypgen.sh read_screens mse_seed7 mse_seed6
date > $RUNS/round46.done
