#!/usr/bin/env bash
# Round 42's reading, after run.sh: SDSeg minus baseline paired on test, misses and size split of both, and SDSeg's
# val by step beside seeds 8 (round 34, the same layout) and 9 (round 39, condition 2 beside another SDSeg arm).
cd /work/main
D=docs/results/polypgen_round42_cpu128_fp32
.venv/bin/python benchmarks/paired_dice.py $D/baseline_summary.json $D/sdseg_1step_summary.json \
    -o $D/paired_sdseg_minus_baseline.json
.venv/bin/python benchmarks/summary_misses.py $D/sdseg_1step_summary.json $D/baseline_summary.json > $D/misses.json
.venv/bin/python benchmarks/size_split.py $D/sdseg_1step_summary.json $D/baseline_summary.json > $D/size_split.json
STEPS=1000,2000,3000,4000,5000,6000,6500 .venv/bin/python benchmarks/val_by_step.py \
    "round34 seed8=docs/results/polypgen_round34_cpu128_fp32/sdseg_training.json" \
    "round39 condition2_seed9=docs/results/polypgen_round39_cpu128_fp32/condition2_seed9_training.json" \
    "seed10=pg36/sdseg" > $D/val_by_step.json
