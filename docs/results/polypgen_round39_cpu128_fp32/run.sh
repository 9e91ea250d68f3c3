#!/usr/bin/env bash
# Thirty-ninth round: the doubled condition weight (loss_weights.condition 2) at the full 90-minute budget. It passed
# the 3000-step screen at two seeds (round 37, seed 7: +0.023; round 38, seed 6: +0.016 on mean val at steps
# 2000-3000). condition2_seed9 against today's cpu128 (ref_seed9), side by side, one thread each, 90 minutes each, at a
# new training seed, 9. The first stage (runs/pg34/ae) is round 32's, charged the recorded 612 s.
# Rule, set before the results: cpu128 takes loss_weights.condition 2 if condition2_seed9's best val Dice at the
# original size is at least 0.01 above ref_seed9's, with its per-image std over 10 draws <= 0.02.
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round39_cpu128_fp32
bash benchmarks/polypgen.sh arm ref_seed9 90 --seed 9 &
bash benchmarks/polypgen.sh arm condition2_seed9 90 --seed 9 --set training.loss_weights.condition=2 &
wait
REF=none STEPS=500,1000,2000,3000,4000,4500,5000,5500,6000,6500,7000 bash benchmarks/polypgen.sh compare ref_seed9 condition2_seed9
bash benchmarks/polypgen.sh ddim 10 ref_seed9 condition2_seed9
date > $RUNS/post39.done
