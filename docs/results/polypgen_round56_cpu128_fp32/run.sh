#!/usr/bin/env bash
# Fifty-sixth round: the deeper vision encoder (vision_encoder.layers_per_block 2) at equal time. At equal steps it led
# cpu128's val at three seeds (rounds 51 and 55: +0.022, +0.009, +0.012, means over steps 2000-3000) but each of its
# steps costs 1.55x (round 51's step_cost.json), so in cpu128's 90 minutes it takes about two thirds of the steps.
# enc_depth2_seed12 trains it against cpu128 as committed (ref_seed12), side by side, one thread each, 90 minutes each,
# at a new training seed, 12, on round 51's first stage (this machine's; trained in 285 s with two threads), charged
# the 612 s that the recorded 90-minute rounds charged, so each arm's SDSeg has the same 79.8 minutes as theirs.
# Rule, set before the results: cpu128 takes vision_encoder.layers_per_block=2 if enc_depth2_seed12's best val Dice at
# the original size is at least 0.01 above ref_seed12's, with its per-image std over 10 draws <= 0.02.
set -euo pipefail
cd /work/main
export RUNS=runs/pg51 OUT=docs/results/polypgen_round56_cpu128_fp32
[ -f "$RUNS/ae_seconds" ] || echo 612 > "$RUNS/ae_seconds"
bash benchmarks/polypgen.sh arm ref_seed12 90 --seed 12 &
bash benchmarks/polypgen.sh arm enc_depth2_seed12 90 --seed 12 --set vision_encoder.layers_per_block=2 &
wait
REF=none STEPS=1000,2000,3000,4000,5000,6000 bash benchmarks/polypgen.sh compare ref_seed12 enc_depth2_seed12
date > "$RUNS/round56.done"
