#!/usr/bin/env bash
# Forty-fourth round: a 6000-step 64² head start against today's 4000, at the full 90-minute budget. Why: in rounds
# 39 and 42 val (at 128²) still rose by about 0.022 per 1000 steps at the end of the 64² phase, at 0.39 s a step,
# against about 0.03 per 1000 steps at 1.22 s a step late in the 128² phase: per minute, a 64² step still bought
# about twice the val of a 128² one when the phase ended (round 32 made the same trade from 2000 to 4000: best val
# +0.017, test equal). coarse6k_seed11 trains its first 6000 steps at 64² against cpu128 as committed (ref_seed11),
# side by side, one thread each, 90 minutes each, at a new training seed, 11. The first stage (runs/pg34/ae) is
# round 32's, charged the recorded 612 s.
# Rule, set before the results: cpu128 takes training.coarse_steps=6000 if coarse6k_seed11's best val Dice at the
# original size is at least 0.01 above ref_seed11's, with its per-image std over 10 draws <= 0.02.
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round44_cpu128_fp32
bash benchmarks/polypgen.sh arm ref_seed11 90 --seed 11 &
bash benchmarks/polypgen.sh arm coarse6k_seed11 90 --seed 11 --set training.coarse_steps=6000 &
wait
REF=none STEPS=1000,2000,3000,4000,5000,6000,6500,7000,7500,8000 bash benchmarks/polypgen.sh compare ref_seed11 coarse6k_seed11
bash benchmarks/polypgen.sh ddim 10 ref_seed11 coarse6k_seed11
date > $RUNS/post44.done
