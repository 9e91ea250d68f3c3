#!/usr/bin/env bash
# Round 51's step cost, measured cleanly: today's cpu128 and the deeper vision encoder side by side, one thread each on
# the otherwise idle 2-core machine (a core each, where round 51's four screens shared two), 1000 steps at seed 7 on
# round 51's first stage; the cost is read from each run's history, seconds from step 500 to step 1000 (500 steps and
# one val check, the screens' proportion).
set -euo pipefail
cd /work/main
export RUNS=runs/cost51
mkdir -p "$RUNS" && rm -rf "$RUNS/ae" && cp -r runs/pg51/ae "$RUNS/ae"
bash benchmarks/polypgen.sh screen ref 1000 --seed 7 &
bash benchmarks/polypgen.sh screen enc_depth2 1000 --seed 7 --set vision_encoder.layers_per_block=2 &
wait
STEPS=500,1000 .venv/bin/python benchmarks/val_by_step.py ref=cost51/ref enc_depth2=cost51/enc_depth2 \
    > docs/results/polypgen_round51_cpu128_fp32/step_cost.json
