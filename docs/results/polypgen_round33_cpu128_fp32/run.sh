#!/usr/bin/env bash
# Thirty-third round: a middle 96² phase between cpu128's 64² head start and 128². Round 32 adopted 4000 steps at 64²;
# after the switch to 128² its val took about 2500 steps (~50 minutes) to level off (0.575 at step 4000, 0.713 at
# 6500), and a 96² step costs about half a 128² one, so part of that climb may be bought cheaper. phases96_seed7 trains
# steps 0-3999 at 64², 4000-5499 at 96², the rest at 128², against today's cpu128 (64² until 4000, then 128²), side
# by side, one thread each, 90 minutes each, at a new training seed, 7 (a second full-budget seed of today's
# cpu128). The first stage (runs/pg34/ae) is round 32's, charged the recorded 612 s.
# Rule, set before the results: cpu128 takes coarse_size [64, 96] / coarse_steps [4000, 5500] if phases96_seed7's best
# val Dice at the original size is at least 0.01 above ref_seed7's, with its per-image std over 10 draws <= 0.02.
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round33_cpu128_fp32
bash benchmarks/polypgen.sh arm ref_seed7 90 --seed 7 &
bash benchmarks/polypgen.sh arm phases96_seed7 90 --seed 7 --set 'training.coarse_size=[64,96]' \
    --set 'training.coarse_steps=[4000,5500]' &
wait
REF=none STEPS=500,1000,2000,3000,4000,4500,5000,5500,6000,6500,7000 bash benchmarks/polypgen.sh compare ref_seed7 phases96_seed7
bash benchmarks/polypgen.sh ddim 10 ref_seed7 phases96_seed7
date > $RUNS/post33.done
