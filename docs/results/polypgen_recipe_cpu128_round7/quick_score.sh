#!/usr/bin/env bash
# quick_score.sh NAME THREADS: single-step test of runs/pg17/NAME (its best/), plain and mirrored, plus paired difference
set -euo pipefail
name=$1; export OMP_NUM_THREADS=${2:-1}
for mode in plain mirror; do
  flag=""; [ $mode = mirror ] && flag="--mirror"
  .venv/bin/sdseg predict ../shared/data/polypgen --split test -m runs/pg17/$name -o runs/pg17/${name}_test_$mode --no-overlays --batch-size 16 $flag > runs/pg17/${name}_test_$mode.log 2>&1
  .venv/bin/sdseg evaluate runs/pg17/${name}_test_$mode ../shared/data/polypgen --split test >> runs/pg17/${name}_test_$mode.log 2>&1
  grep -a "mean dice" runs/pg17/${name}_test_$mode.log
done
