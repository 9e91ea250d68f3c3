#!/usr/bin/env bash
# Sixty-second round (prepared 2026-12-04, run the same day from 21:27 UTC on an idle machine): bf16 autocast at equal time on the AVX-512 EPYC (avx512_bf16,
# no AMX). Round 61 measured its step at 0.77x fp32's in the 64² phase and 0.67x at 128², learning alike per step
# (its 3000-step screen, all in the 64² phase); 30 minutes at equal time (seed 7) came out level (best val 0.684 against
# 0.688), bf16 slower per step at 128². Only the full budget says whether the extra 128² steps raise the score. ref_seed15 (cpu128 as
# committed, fp32) and bf16_seed15 (the same with --mixed-precision bf16, the first stage shared and fp32) train side by
# side, one thread each, 90 minutes each at a new seed, 15, on round 51's first stage (charged 612 s), scored as
# round 56. Needs this CPU (grep -o -w avx512_bf16 /proc/cpuinfo) and runs/pg51; on an AVX2-only CPU bf16 is ~10x
# slower and the pair says nothing. Rule, set before the results: bf16 becomes what the README recommends for
# cpu128 on CPUs with avx512_bf16 (and a candidate for an automatic choice) if bf16_seed15's best val Dice at the
# original size is at least 0.01 above ref_seed15's, with its per-image std over 10 draws <= 0.02.
set -euo pipefail
cd /work/main
export RUNS=runs/pg51 OUT=docs/results/polypgen_round62_cpu128_bf16
[ -f "$RUNS/ae_seconds" ] || echo 612 > "$RUNS/ae_seconds"
bash benchmarks/polypgen.sh arm ref_seed15 90 --seed 15 &
bash benchmarks/polypgen.sh arm bf16_seed15 90 --seed 15 --mixed-precision bf16 &
wait
REF=none STEPS=1000,2000,3000,4000,5000,6000,7000,8000 bash benchmarks/polypgen.sh compare ref_seed15 bf16_seed15
date > "$RUNS/round62.done"
