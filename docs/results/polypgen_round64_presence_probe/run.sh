#!/usr/bin/env bash
# Sixty-fourth round (prepared and run 2026-12-04, beside round 62's pair): does cpu128's image latent know whether an
# image holds a polyp? Round 63 found the soft mask as sure of its false alarms as of its polyps. Before building an
# image-level head into the model, benchmarks/presence_probe.py fits a balanced logistic regression on the training
# images' pooled image latent c (and c with the single-step x̂0) to "has a polyp", and reads it on val and test as
# round 63's rule (empty below a threshold chosen on val), on the same masks (round 63's presence files).
# Reading, set before the results: a head is worth building if the probe with its val-chosen threshold raises the test
# Dice by at least one image's worth (0.007) in the mean of seeds 12-14, losing at no seed more than 0.005.
set -euo pipefail
cd /work/main
export OMP_NUM_THREADS=1
OUT=docs/results/polypgen_round64_presence_probe
for seed in 12 13 14; do
    .venv/bin/python benchmarks/presence_probe.py runs/pg51/ref_seed$seed/best --data ../shared/data/polypgen \
        --presence docs/results/polypgen_round63_presence/ref_seed${seed}_presence.json \
        -o $OUT/ref_seed${seed}_probe.json > runs/pg51/probe_seed$seed.log 2>&1
done
date > runs/pg51/round64.done
