# val split, plain and mirrored, for the seventh round's two arms and the sixth round's model (2 threads, machine idle)
set -euo pipefail
export OMP_NUM_THREADS=2
for m in pg17/bf16cl_s1 pg17/bf16cl_wsd pg16/bf16; do
  n=$(echo $m | tr / _)
  for mode in plain mirror; do
    flag=""; [ $mode = mirror ] && flag="--mirror"
    .venv/bin/sdseg predict ../shared/data/polypgen --split val -m runs/$m -o runs/pg17/val_${n}_$mode --no-overlays --batch-size 16 $flag > /dev/null 2>&1
    .venv/bin/sdseg evaluate runs/pg17/val_${n}_$mode ../shared/data/polypgen --split val | grep "mean dice" | sed "s|^|$n $mode|"
  done
done
