#!/usr/bin/env bash
# score1.sh RUN OUT: single-step and mirrored test Dice of runs/pg21/RUN, one thread; summaries copied to OUT
set -euo pipefail
run=$1 out=$2
export OMP_NUM_THREADS=1
mkdir -p $out
for m in "" --mirror; do
  o=runs/pg21/${run}_pred_1${m:+_mirror}
  .venv/bin/sdseg predict ../shared/data/polypgen --split test -m runs/pg21/$run -o $o --no-overlays --batch-size 16 $m \
      | tee $o.log
  .venv/bin/sdseg evaluate $o ../shared/data/polypgen --split test
  cp $o/summary.json $out/${run}_1step${m:+_mirror}_summary.json
done
cp runs/pg21/$run/summary.json $out/${run}_training.json
cp runs/pg21/$run/preset.json $out/${run}_preset.json
