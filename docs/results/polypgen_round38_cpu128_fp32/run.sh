#!/usr/bin/env bash
# Thirty-eighth round: round 37's two screens at a second training seed, 6, before either gets a 90-minute pair.
# latent2_seed6 (loss_weights.latent 2) and condition2_seed6 (loss_weights.condition 2), 3000 steps each, one thread
# each, side by side, on round 32's first stage (runs/pg34/ae), read at equal steps against round 32's coarse4k_seed6
# (cpu128 as it is today, same first stage, seed 6; its preset matches round 33's ref_seed7 exactly).
# Rule, set before the results: as round 37's, per seed — the weight keeps its claim to a 90-minute pair if its mean
# val Dice at steps 2000, 2500 and 3000 is at least 0.01 above coarse4k_seed6's at this seed too.
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round38_cpu128_fp32
bash benchmarks/polypgen.sh screen latent2_seed6 3000 --seed 6 --set training.loss_weights.latent=2 &
bash benchmarks/polypgen.sh screen condition2_seed6 3000 --seed 6 --set training.loss_weights.condition=2 &
wait
bash benchmarks/polypgen.sh record latent2_seed6 condition2_seed6
STEPS=500,1000,1500,2000,2500,3000 .venv/bin/python benchmarks/val_by_step.py \
    coarse4k_seed6=docs/results/polypgen_round32_cpu128_fp32/coarse4k_seed6_training.json \
    latent2_seed6=pg34/latent2_seed6 condition2_seed6=pg34/condition2_seed6 > $OUT/val_by_step.json
date > $RUNS/round38.done
