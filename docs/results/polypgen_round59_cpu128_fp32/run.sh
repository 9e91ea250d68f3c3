#!/usr/bin/env bash
# Fifty-ninth round: round 58's per-image standardisation at a third seed (5), as round 55 did for depth, queued after
# round 58 and set up while it ran (its curves were ahead at both seeds to step 2000). standardize_seed5 trains 3000
# steps on round 51's first stage, one thread, read against runs/pg51/ref_seed5 (round 55's reference at that seed).
# Read as round 51: mean val Dice at steps 2000, 2500 and 3000 against the reference at the same seed.
set -euo pipefail
cd /work/main
export RUNS=runs/pg51 OUT=docs/results/polypgen_round59_cpu128_fp32
while [ ! -f "$RUNS/round58.done" ]; do sleep 20; done
bash benchmarks/polypgen.sh screen standardize_seed5 3000 --seed 5 --set vision_encoder.standardize_image=true
REFS="ref_seed5=pg51/ref_seed5" bash benchmarks/polypgen.sh read_screens standardize_seed5
date > "$RUNS/round59.done"
