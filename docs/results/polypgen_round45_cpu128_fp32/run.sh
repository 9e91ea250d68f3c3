#!/usr/bin/env bash
# Forty-fifth round: cpu128's vision encoder is twice its first stage's width (32·[1,2,4,4] against 16·[1,2,4,4]) and
# has 12 extra channels in c, so none of the first stage's 76 encoder tensors fits it by shape: it starts from scratch.
# vision_encoder.widen (59bcfef) starts it instead from the first stage's encoder with each channel duplicated
# (Net2WiderNet: random input splits, GroupNorm groups kept, attention queries / √2), so that at step 0 its first four
# channels of c are the first stage's posterior mean on the image and all 76 tensors start from learned weights.
# widen_seed7 and widen_seed6 train today's cpu128 with vision_encoder.widen true for 3000 steps each, one thread
# each, side by side, on round 32's first stage, read at equal steps against the recorded condition2_seed7 and
# condition2_seed6 (today's cpu128; rounds 37 and 38).
# Rule, set before the results: widening earns a 90-minute pair if the mean val Dice at steps 2000, 2500 and 3000 is
# at least 0.01 above cpu128's at both seeds.
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round45_cpu128_fp32
bash benchmarks/polypgen.sh screen widen_seed7 3000 --seed 7 --set vision_encoder.widen=true &
bash benchmarks/polypgen.sh screen widen_seed6 3000 --seed 6 --set vision_encoder.widen=true &
wait
REFS="condition2_seed7=docs/results/polypgen_round37_cpu128_fp32/condition2_seed7_training.json
      condition2_seed6=docs/results/polypgen_round38_cpu128_fp32/condition2_seed6_training.json" \
    bash benchmarks/polypgen.sh read_screens widen_seed7 widen_seed6
date > $RUNS/round45.done
