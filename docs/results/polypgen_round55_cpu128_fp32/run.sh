#!/usr/bin/env bash
# Fifty-fifth round: round 51's deeper vision encoder at a third seed (5), beside cpu128 at that seed, on round 51's
# first stage, 3000 steps each, one thread each (a core each). Round 51's verdict stands (not met at seed 6); this
# says whether its per-step lead (+0.022, +0.009) holds at another seed, which decides whether a 90-minute pair at
# equal time (where its 1.55x step cost counts) is worth a next session's 100 minutes.
# Read as round 51: mean val Dice at steps 2000, 2500 and 3000 against the reference at the same seed.
set -euo pipefail
cd /work/main
export RUNS=runs/pg51 OUT=docs/results/polypgen_round55_cpu128_fp32
bash benchmarks/polypgen.sh screen ref_seed5 3000 --seed 5 &
bash benchmarks/polypgen.sh screen enc_depth2_seed5 3000 --seed 5 --set vision_encoder.layers_per_block=2 &
wait
REFS= bash benchmarks/polypgen.sh read_screens ref_seed5 enc_depth2_seed5
date > "$RUNS/round55.done"
