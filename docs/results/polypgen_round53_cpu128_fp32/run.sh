#!/usr/bin/env bash
# Fifty-third round: z0 drawn at 0.75x its posterior's std. The fiftieth round found 1.5x no faster; the eleventh
# round's less noisy latents (another first stage) and z0 as the mode (at 64²) were far slower. 0.75 on the same
# first stage says whether the posterior's own noise is the best of the three, at no cost per step.
# latent_std075_seed7/6 train today's cpu128 with training.mask_latent_std 0.75, 3000 steps each, one thread each, side
# by side, on round 51's first stage (runs/pg51/ae, this machine's), read at equal steps against round 51's
# references ref_seed7/6. Queued after round 52.
# Rule, set before the results: 0.75 earns a 90-minute pair if the mean val Dice at steps 2000, 2500 and 3000 is at
# least 0.01 above the reference's at both seeds.
set -euo pipefail
cd /work/main
while [ ! -f runs/pg51/round52.done ]; do sleep 20; done
REFS="ref_seed7=pg51/ref_seed7 ref_seed6=pg51/ref_seed6" RUNS=runs/pg51 OUT=docs/results/polypgen_round53_cpu128_fp32 \
    bash benchmarks/polypgen.sh screen_pair latent_std075 3000 --set training.mask_latent_std=0.75
date > runs/pg51/round53.done
