#!/usr/bin/env bash
# Forty-first round: with condition 2 adopted (round 39) and 4 no better (round 40), the other side of the balance:
# the x̂0 term (loss_weights.latent) at 0.5, leaving the condition term the larger share without raising its scale.
# latent05_seed7 and latent05_seed6 train today's cpu128 (condition 2) with latent 0.5 for 3000 steps each, one thread
# each, side by side, on round 32's first stage, read at equal steps against the recorded condition2_seed7 and
# condition2_seed6 (today's cpu128 at those seeds; rounds 37 and 38).
# Rule, set before the results: latent 0.5 earns a 90-minute pair if its mean val Dice at steps 2000, 2500 and 3000
# is at least 0.01 above condition 2's at both seeds.
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round41_cpu128_fp32
bash benchmarks/polypgen.sh screen latent05_seed7 3000 --seed 7 --set training.loss_weights.latent=0.5 &
bash benchmarks/polypgen.sh screen latent05_seed6 3000 --seed 6 --set training.loss_weights.latent=0.5 &
wait
REFS="condition2_seed7=docs/results/polypgen_round37_cpu128_fp32/condition2_seed7_training.json
      condition2_seed6=docs/results/polypgen_round38_cpu128_fp32/condition2_seed6_training.json" \
    bash benchmarks/polypgen.sh read_screens latent05_seed7 latent05_seed6
date > $RUNS/round41.done
