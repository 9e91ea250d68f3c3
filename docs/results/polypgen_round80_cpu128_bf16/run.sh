#!/usr/bin/env bash
# Eightieth round (run from 04:05 UTC 2026-12-06 on an idle machine, no GPU lent): bf16 autocast, the README's advice
# for cpu128 on CPUs with native bf16 since round 79, at two more seeds (22, 23) side by side, one thread each, 90
# minutes each on round 79's first stage (runs/pg79/ae, charged 612 s as in rounds 56-79), scored as round 79 (single
# step plain and mirrored, 10 draws, val by step).
# Why: round 79 left bf16's four-seed test mean at 0.748 +- 0.005 (standard error), 0.4 standard errors under issue
# 10's 0.75, and round 78 showed single runs spread over 0.72-0.77; no pending recipe change has shown an effect above
# that noise, so the measurement worth the next 90 minutes is the advised recipe's own mean.
# Rule, set before the results (reading.py): six seeds (15, 16, 20, 21, 22, 23) is bf16's final count on this machine,
# whatever they show; no seed is added later to move the mean. Issue 10's 0.75 reads on that six-seed mean of the
# single-step test Dice: met if >= 0.75, with its standard error and 95 % interval reported beside it. Each new seed's
# per-image std over 10 draws must be <= 0.02. The val and test differences against fp32's eight seeds are reported,
# not ruled on (round 79 ruled).
set -euo pipefail
cd /work/main
export RUNS=runs/pg79 OUT=docs/results/polypgen_round80_cpu128_bf16
test -f "$RUNS/ae/summary.json" && [ "$(cat "$RUNS/ae_seconds")" = 612 ]
bash benchmarks/polypgen.sh arm bf16_seed22 90 --seed 22 --mixed-precision bf16 &
bash benchmarks/polypgen.sh arm bf16_seed23 90 --seed 23 --mixed-precision bf16 &
wait
D=$OUT bash benchmarks/stability_runs.sh pg79/bf16_seed22 pg79/bf16_seed23
STEPS=1000,2000,3000,4000,5000,6000,7000,8000,9000,10000,11000 .venv/bin/python benchmarks/val_by_step.py \
    bf16_seed22=pg79/bf16_seed22 bf16_seed23=pg79/bf16_seed23 > "$OUT/val_by_step.json"
date > "$RUNS/round80.done"
