#!/usr/bin/env bash
# Thirty-second round: the length of cpu128's 64² head start. Round 31 adopted 2000 steps at 64² (mean +0.013 best val
# over seeds 4 and 5); at seed 5 its lead held from 21 minutes to the end, and a 64² step costs about a third of a 128²
# one, so a longer phase buys more steps in the same 90 minutes. coarse4k_seed6 trains its first 4000 steps at 64²
# (about 26 minutes) against today's cpu128 (2000), side by side, one thread each, 90 minutes each, at a new training
# seed, 6 (a third full-budget seed of today's cpu128). The first stage (runs/pg34/ae) was trained again this session
# with the same command and seed (a fresh checkout), charged the recorded 612 s as in rounds 30-31.
# Rule, set before the results: cpu128 takes training.coarse_steps=4000 if coarse4k_seed6's best val Dice at the
# original size is at least 0.01 above ref_seed6's, with its per-image std over 10 draws still <= 0.02.
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round32_cpu128_fp32
bash benchmarks/polypgen.sh arm ref_seed6 90 --seed 6 &
bash benchmarks/polypgen.sh arm coarse4k_seed6 90 --seed 6 --set training.coarse_steps=4000 &
wait
REF=none STEPS=500,1000,1500,2000,2500,3000,3500,4000,4500,5000 bash benchmarks/polypgen.sh compare ref_seed6 coarse4k_seed6
bash benchmarks/polypgen.sh ddim 10 ref_seed6 coarse4k_seed6
date > $RUNS/post32.done
