#!/usr/bin/env bash
# Sixty-third round (prepared and run 2026-12-04): can cpu128 tell, per image, whether there is a polyp at all?
# Round 60 found much of the seed spread in false alarms on the 13 polyp-free test images (each worth 1/142), and
# round 25 found them polyp-sized, so no area rule clears them. benchmarks/presence.py reads cues of the model's own
# confidence from each soft mask (peak, mean above 0.5, mean, area; and, for a second pass, agreement with the
# left-right mirrored image), chooses on val the cue and threshold below which an image counts as empty (or no rule),
# and applies it to test unchanged. Models: cpu128's three 90-minute runs on this AVX-512 machine (rounds 56 and 60,
# best/ as scored there); no training, so it needs runs/pg51 from those rounds.
# Reading, set before the results: a single-pass rule chosen on val is adopted (as a post-processing step chosen on
# val at the end of training and saved with the model) if it raises the test Dice at >= 2 of the 3 seeds and their
# mean, no seed losing more than 0.005. The flip cue is read the same way but would be adopted only with mirroring.
set -euo pipefail
cd /work/main
export OMP_NUM_THREADS=1
OUT=docs/results/polypgen_round63_presence
for seed in 12 13 14; do
    .venv/bin/python benchmarks/presence.py runs/pg51/ref_seed$seed/best --data ../shared/data/polypgen --flip \
        -o $OUT/ref_seed${seed}_presence.json > runs/pg51/presence_seed$seed.log 2>&1 &
    [ $seed = 13 ] && wait
done
wait
date > runs/pg51/round63.done
