#!/usr/bin/env bash
# after both arms are done: val at original size, paired test, misses. A later round passes its own RUNS, D (its
# results folder), P (the previous round's), arms A (reference) and B, PREV (the previous round's reference arm, whose
# test Dice A should repeat) and DONE (the name of the file that marks the end).
cd /work/main
RUNS=${RUNS:-runs/pg29} D=${D:-docs/results/polypgen_round20_cpu128_fp32} P=${P:-docs/results/polypgen_round19_cpu128_fp32}
A=${A:-ref} B=${B:-b4} PREV=${PREV:-u32x12}
ROUND=$(basename "$P" | sed -E 's/polypgen_(round[0-9]+)_.*/\1/')
while [ ! -f $RUNS/$A.done ] || [ ! -f $RUNS/$B.done ]; do sleep 30; done
for a in $A $B; do
  OMP_NUM_THREADS=1 .venv/bin/python benchmarks/misses.py $RUNS/$a/best --data ../shared/data/polypgen --split val -o $D/${a}_val_misses.json &
done; wait
.venv/bin/python benchmarks/paired_dice.py $D/${A}_1step_summary.json $D/${B}_1step_summary.json -o $D/paired_${B}_minus_${A}.json
.venv/bin/python benchmarks/paired_dice.py $D/${A}_1step_mirror_summary.json $D/${B}_1step_mirror_summary.json -o $D/paired_${B}_minus_${A}_mirror.json
.venv/bin/python benchmarks/paired_dice.py $P/${PREV}_1step_summary.json $D/${A}_1step_summary.json -o $D/paired_${A}_minus_${ROUND}_${PREV}.json
.venv/bin/python benchmarks/summary_misses.py $P/${PREV}_1step_summary.json $D/${A}_1step_summary.json $D/${B}_1step_summary.json > $D/misses.json
date > $RUNS/${DONE:-post}.done
