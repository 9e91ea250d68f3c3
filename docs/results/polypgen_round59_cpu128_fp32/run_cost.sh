#!/usr/bin/env bash
# What standardisation costs per step: cpu128 and cpu128 with vision_encoder.standardize_image, 1000 steps each at
# seed 7, side by side, one thread (a core) each, on a copy of round 51's first stage, as round 51's run_cost.sh
# measured depth; read as the seconds for steps 500-1000 (one val check each).
set -euo pipefail
cd /work/main
export RUNS=runs/cost59
mkdir -p "$RUNS" && rm -rf "$RUNS/ae" && cp -r runs/pg51/ae "$RUNS/ae"
bash benchmarks/polypgen.sh screen ref 1000 --seed 7 &
bash benchmarks/polypgen.sh screen standardize 1000 --seed 7 --set vision_encoder.standardize_image=true &
wait
STEPS=500,1000 .venv/bin/python benchmarks/val_by_step.py ref=cost59/ref standardize=cost59/standardize \
    > docs/results/polypgen_round59_cpu128_fp32/step_cost.json
