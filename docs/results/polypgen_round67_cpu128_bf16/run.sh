#!/usr/bin/env bash
# Sixty-seventh round (prepared 2026-12-04, run from 23:45 UTC on an idle machine): round 62 repeated at a second seed,
# 16. Round 62 (seed 15) gave bf16 autocast 11095 steps against fp32's 8416 in 90 minutes and best val 0.752 against
# 0.710 (its rule met, so the README recommends bf16 for cpu128 on avx512_bf16 CPUs), but test 0.735 against 0.750.
# One seed cannot say whether bf16's val gain is real, nor whether it should become the automatic choice on such
# CPUs. ref_seed16 (cpu128 as committed, fp32) and bf16_seed16 (--mixed-precision bf16, first stage shared and fp32)
# train side by side, one thread each, 90 minutes each on round 51's first stage (charged 612 s), scored as round 56.
# The fp32 arm is also cpu128's fifth seed on this machine. Needs avx512_bf16 (grep -o -w avx512_bf16 /proc/cpuinfo).
# Rule, set before the results: the README's bf16 recommendation stays, and bf16 becomes a candidate for the automatic
# choice on avx512_bf16 CPUs, only if (a) bf16_seed16's best val Dice is again >= ref_seed16's + 0.01 with per-image std
# over 10 draws <= 0.02, and (b) the mean over seeds 15 and 16 of the paired test difference (bf16 - fp32) is >= 0.
# If (a) fails the recommendation is withdrawn (fp32 stays the advice); if (a) holds and (b) fails, the README keeps
# bf16 as an option and says its test figure is not better.
set -euo pipefail
cd /work/main
export RUNS=runs/pg51 OUT=docs/results/polypgen_round67_cpu128_bf16
[ -f "$RUNS/ae_seconds" ] || echo 612 > "$RUNS/ae_seconds"
bash benchmarks/polypgen.sh arm ref_seed16 90 --seed 16 &
bash benchmarks/polypgen.sh arm bf16_seed16 90 --seed 16 --mixed-precision bf16 &
wait
REF=none STEPS=1000,2000,3000,4000,5000,6000,7000,8000,9000,10000 bash benchmarks/polypgen.sh compare ref_seed16 bf16_seed16
date > "$RUNS/round67.done"
