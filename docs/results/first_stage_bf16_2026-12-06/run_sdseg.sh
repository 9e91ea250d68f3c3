#!/usr/bin/env bash
# SDSeg on the two first stages of run.sh (prepared and run 2026-12-06): `cpu128` in bf16 (the advice on this CPU),
# seed 0, 45 minutes each, side by side, one thread each, on the fp32 and on the bf16 first stage; then the test
# split with one step. Why: run.sh showed the bf16 first stage's round trip level with fp32's (0.9581 / 0.9587) in 0.70x
# the time, but not what SDSeg learns on its latents. 45 minutes, not the protocol's 90: what the session had left.
# Rule, set before the results (a screen, one seed, no change to the protocol): the bf16 first stage is "no worse for
# SDSeg" if SDSeg's best val on it is at least the fp32 one's - 0.02 and its single-step test Dice too; "worse" otherwise.
set -euo pipefail
cd /work/main
RUNS=runs/ae_bf16
OUT=docs/results/first_stage_bf16_2026-12-06
export OMP_NUM_THREADS=1
for ae in no bf16; do
    ( .venv/bin/sdseg train ../shared/data/polypgen --first-stage "$RUNS/$ae" -o "$RUNS/sdseg_on_$ae" --config cpu128 \
          --mixed-precision bf16 --seed 0 --set training.steps=100000 --set training.max_minutes=45 \
          > "$RUNS/sdseg_on_$ae.log" 2>&1
      cp "$RUNS/sdseg_on_$ae/summary.json" "$OUT/sdseg_on_${ae}_training.json"
      .venv/bin/sdseg predict ../shared/data/polypgen --split test -m "$RUNS/sdseg_on_$ae" -o "$RUNS/pred_on_$ae" \
          --no-overlays --batch-size 16 > "$RUNS/pred_on_$ae.log" 2>&1
      .venv/bin/sdseg evaluate "$RUNS/pred_on_$ae" ../shared/data/polypgen --split test > "$RUNS/eval_on_$ae.log" 2>&1
      cp "$RUNS/pred_on_$ae/summary.json" "$OUT/sdseg_on_${ae}_1step_summary.json" ) &
done
wait
.venv/bin/python benchmarks/compact_records.py "$OUT"
