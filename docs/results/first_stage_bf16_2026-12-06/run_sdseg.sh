#!/usr/bin/env bash
# SDSeg on the two first stages of run.sh (prepared and run 2026-12-06): `cpu128` in bf16 (the advice on this CPU),
# 45 minutes each, side by side, one thread each, on the fp32 and on the bf16 first stage; then the test split with
# one step. Why: run.sh showed the bf16 first stage's round trip level with fp32's (0.9581 / 0.9587) in 0.70x the time,
# but not what SDSeg learns on its latents. 45 minutes, not the protocol's 90: what the session had left.
# Rule, set before the results (a screen, no change to the protocol): the bf16 first stage is "no worse for SDSeg" if
# SDSeg's best val on it is at least the fp32 one's - 0.02 and its single-step test Dice too; "worse" otherwise.
# Seed 0 ran first (SEED unset; files without a suffix): worse (test 0.718 against 0.753).
# SEED=1 (run in the next session, 2026-12-06, files with the suffix _seed1): the same two first stages, so it
# separates SDSeg's training seed from the first stages, not the first stages' own seed. Rule for the pair, set before
# seed 1's results: the verdict is read on the two seeds' mean differences (bf16 - fp32) with the same -0.02 bounds.
set -euo pipefail
cd /work/main
RUNS=runs/ae_bf16
OUT=docs/results/first_stage_bf16_2026-12-06
SEED=${SEED:-0}
TAG=$([ "$SEED" = 0 ] && echo "" || echo "_seed$SEED")
export OMP_NUM_THREADS=1
for ae in no bf16; do
    ( .venv/bin/sdseg train ../shared/data/polypgen --first-stage "$RUNS/$ae" -o "$RUNS/sdseg_on_$ae$TAG" --config cpu128 \
          --mixed-precision bf16 --seed "$SEED" --set training.steps=100000 --set training.max_minutes=45 \
          > "$RUNS/sdseg_on_$ae$TAG.log" 2>&1
      cp "$RUNS/sdseg_on_$ae$TAG/summary.json" "$OUT/sdseg_on_${ae}${TAG}_training.json"
      .venv/bin/sdseg predict ../shared/data/polypgen --split test -m "$RUNS/sdseg_on_$ae$TAG" -o "$RUNS/pred_on_$ae$TAG" \
          --no-overlays --batch-size 16 > "$RUNS/pred_on_$ae$TAG.log" 2>&1
      .venv/bin/sdseg evaluate "$RUNS/pred_on_$ae$TAG" ../shared/data/polypgen --split test > "$RUNS/eval_on_$ae$TAG.log" 2>&1
      cp "$RUNS/pred_on_$ae$TAG/summary.json" "$OUT/sdseg_on_${ae}${TAG}_1step_summary.json" ) &
done
wait
.venv/bin/python benchmarks/compact_records.py "$OUT"
