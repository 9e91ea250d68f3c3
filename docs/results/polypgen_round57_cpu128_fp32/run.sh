#!/usr/bin/env bash
# Fifty-seventh round: depth only where the vision encoder's maps are small. A second ResNet block at every level
# (rounds 51 and 55) led cpu128 per step at three seeds but cost 1.55x per step. Here the second block is added at the
# two coarsest levels only (1/4 and 1/8 of the image; vision_encoder.layers_per_block [1, 1, 2, 2]), where a block
# costs least. deep_low_seed7/6 train it 3000 steps on round 51's first stage, side by side, one thread each (a core
# each, as round 51's step_cost.json ran), queued after round 56.
# Rule, set before the results: as round 51's, a 90-minute pair if the mean val Dice at steps 2000, 2500 and 3000 is
# at least 0.01 above the reference's (runs/pg51/ref_seed7, ref_seed6) at both seeds. Its seconds for steps 500-1000
# are read beside step_cost.json's (136.5 s for cpu128, 211.0 s for depth 2 everywhere).
set -euo pipefail
cd /work/main
while [ ! -f runs/pg51/round56.done ]; do sleep 20; done
REFS="ref_seed7=pg51/ref_seed7 ref_seed6=pg51/ref_seed6" RUNS=runs/pg51 OUT=docs/results/polypgen_round57_cpu128_fp32 \
    bash benchmarks/polypgen.sh screen_pair deep_low 3000 --set 'vision_encoder.layers_per_block=[1,1,2,2]'
date > runs/pg51/round57.done
