#!/usr/bin/env bash
# Round 70: the vision encoder's own mask estimate (c's first channels decoded) blended with the single step's,
# on the six 90-minute cpu128 models of rounds 56, 60, 67 and 68 (seeds 12-17, this machine, their best/ as scored).
# No training: one prediction pass per model and split. Rule (in benchmarks/condition_blend.py, written before
# any figure was read): w* = the weight with the highest val Dice averaged over the six models; the blend is built
# into prediction only if that mean is >= 0.01 above w = 0 (the plain single step). Test reported for every weight.
set -euo pipefail
OUT=docs/results/polypgen_round70_condition_blend
export OMP_NUM_THREADS=2
.venv/bin/python benchmarks/condition_blend.py runs/pg51/ref_seed1{2,3,4,5,6,7}/best \
    --data ../shared/data/polypgen -o "$OUT/condition_blend.json" > runs/pg51/condition_blend.log 2>&1
