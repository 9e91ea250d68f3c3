#!/usr/bin/env bash
# Forty-eighth round: cpu128's vision encoder (32·[1,2,4,4]) inherits its first stage's 8 GroupNorm groups; round 47's
# 16 groups led to step 2000 and were level over 2000-3000. One step further: 32 groups, SD's encoder's own number
# (one channel per group at the first level, 4 at the last). groups32_seed7 and groups32_seed6 train today's cpu128 with vision_encoder.norm_num_groups 32 for
# 3000 steps each, one thread each, side by side, on round 32's first stage, read at equal steps against the recorded
# condition2_seed7 and condition2_seed6 (today's cpu128; rounds 37 and 38).
# Rule, set before the results: 32 groups earn a 90-minute pair if the mean val Dice at steps 2000, 2500 and 3000 is
# at least 0.01 above cpu128's at both seeds.
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round48_cpu128_fp32
bash benchmarks/polypgen.sh screen groups32_seed7 3000 --seed 7 --set vision_encoder.norm_num_groups=32 &
bash benchmarks/polypgen.sh screen groups32_seed6 3000 --seed 6 --set vision_encoder.norm_num_groups=32 &
wait
REFS="condition2_seed7=docs/results/polypgen_round37_cpu128_fp32/condition2_seed7_training.json
      condition2_seed6=docs/results/polypgen_round38_cpu128_fp32/condition2_seed6_training.json" \
    bash benchmarks/polypgen.sh read_screens groups32_seed7 groups32_seed6
date > $RUNS/round48.done
