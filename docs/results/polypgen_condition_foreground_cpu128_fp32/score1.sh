#!/usr/bin/env bash
# score1.sh RUN OUT: single-step and mirrored test Dice of runs/pg22/RUN, one thread; summaries copied to OUT
set -euo pipefail
run=$1 out=$2
export OMP_NUM_THREADS=1
mkdir -p $out
for m in "" --mirror; do
  o=runs/pg22/${run}_pred_1${m:+_mirror}
  .venv/bin/sdseg predict ../shared/data/polypgen --split test -m runs/pg22/$run -o $o --no-overlays --batch-size 16 $m \
      > $o.log 2>&1
  .venv/bin/sdseg evaluate $o ../shared/data/polypgen --split test >> $o.log 2>&1
  cp $o/summary.json $out/${run}_1step${m:+_mirror}_summary.json
done
cp runs/pg22/$run/summary.json $out/${run}_training.json
cp runs/pg22/$run/preset.json $out/${run}_preset.json
