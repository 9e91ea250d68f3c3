#!/usr/bin/env bash
# A diagnostic after round 67 (2026-12-05, the idle AVX-512 EPYC): bf16 led val and trailed test at both seeds, and one
# reading was that its best checkpoint is picked from more val checks. Here each 90-minute model on this machine is
# scored on test at its last step instead of its best val (the ones already trained; nothing is selected on test and no
# preset changes from this). Writes last_checkpoint/<run>_1step_summary.json; last_vs_best.py tabulates.
set -euo pipefail
cd /work/main
export OMP_NUM_THREADS=2
OUT=docs/results/polypgen_round67_cpu128_bf16/last_checkpoint
for run in ref_seed12 ref_seed13 ref_seed14 ref_seed15 bf16_seed15 ref_seed16 bf16_seed16; do
    pred=runs/pg51/${run}_pred_last
    .venv/bin/sdseg predict ../shared/data/polypgen --split test -m runs/pg51/$run/last -o "$pred" --no-overlays --batch-size 16
    .venv/bin/sdseg evaluate "$pred" ../shared/data/polypgen --split test
    cp "$pred/summary.json" "$OUT/${run}_1step_summary.json"
done
