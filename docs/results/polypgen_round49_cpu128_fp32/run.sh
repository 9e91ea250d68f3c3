#!/usr/bin/env bash
# Forty-ninth round: cpu128 clips every update (gradient norm 3-13 against a limit of 1; twenty-first round) and
# changes its image size at step 4000, so the gradient's statistics move while AdamW's second moment averages over
# about 1000 steps (beta2 0.999). beta2_099_seed7 and beta2_099_seed6 train today's cpu128 with
# training.adam_betas [0.9, 0.99] (about 100 steps) for 3000 steps each, one thread each, side by side, on round 32's
# first stage, read at equal steps against the recorded condition2_seed7 and condition2_seed6 (today's cpu128;
# rounds 37 and 38).
# Rule, set before the results: beta2 0.99 earns a 90-minute pair if the mean val Dice at steps 2000, 2500 and 3000
# is at least 0.01 above cpu128's at both seeds.
cd /work/main
RUNS=runs/pg34 OUT=docs/results/polypgen_round49_cpu128_fp32 \
    bash benchmarks/polypgen.sh screen_pair beta2_099 3000 --set 'training.adam_betas=[0.9,0.99]'
date > runs/pg34/round49.done
