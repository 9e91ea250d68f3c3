#!/usr/bin/env bash
# Fiftieth round: SDSeg learned far slower on a crop-trained first stage's less noisy latents (eleventh round: posterior
# std 0.15x the spread of the means against 0.59x) and on z0 as the posterior's mode (64² screen), a hypothesis those
# runs fit but never measured directly. Measured here from the other side, with the first stage unchanged:
# latent_std15_seed7 and latent_std15_seed6 train today's cpu128 with z0 drawn at 1.5x its posterior's std
# (training.mask_latent_std 1.5; the scale factor is measured on those latents, as always) for 3000 steps each, one
# thread each, side by side, on round 32's first stage, read at equal steps against cpu128 at seeds 7 and 6.
# Rule, set before the results: 1.5x earns a 90-minute pair if the mean val Dice at steps 2000, 2500 and 3000 is at
# least 0.01 above cpu128's at both seeds.
cd /work/main
while [ ! -f runs/pg34/round49.done ]; do sleep 20; done
RUNS=runs/pg34 OUT=docs/results/polypgen_round50_cpu128_fp32 \
    bash benchmarks/polypgen.sh screen_pair latent_std15 3000 --set training.mask_latent_std=1.5
date > runs/pg34/round50.done
