#!/usr/bin/env bash
# Fortieth round: the condition weight's dose, 4 against 2. Round 37 (seed 7) and round 38 (seed 6) screened
# loss_weights.condition 2 against cpu128: +0.023 and +0.016 on mean val at steps 2000-3000. condition4_seed7 and
# condition4_seed6 repeat those two screens at weight 4, 3000 steps each, one thread each, side by side, on round 32's
# first stage (runs/pg34/ae), read at equal steps against the recorded condition2_seed7 and condition2_seed6.
# Rule, set before the results: weight 4 earns a 90-minute pair against weight 2 if its mean val Dice at steps 2000,
# 2500 and 3000 is at least 0.01 above weight 2's at both seeds.
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round40_cpu128_fp32
bash benchmarks/polypgen.sh screen condition4_seed7 3000 --seed 7 --set training.loss_weights.condition=4 &
bash benchmarks/polypgen.sh screen condition4_seed6 3000 --seed 6 --set training.loss_weights.condition=4 &
wait
REFS="condition2_seed7=docs/results/polypgen_round37_cpu128_fp32/condition2_seed7_training.json
      condition2_seed6=docs/results/polypgen_round38_cpu128_fp32/condition2_seed6_training.json" \
    bash benchmarks/polypgen.sh read_screens condition4_seed7 condition4_seed6
date > $RUNS/round40.done
