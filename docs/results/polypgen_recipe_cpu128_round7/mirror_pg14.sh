# test-time mirroring on the fifth round's bf16cl model (runs/pg14/bf16cl), one thread, beside pg17's two arms
export OMP_NUM_THREADS=1
for split in val test; do
  .venv/bin/sdseg predict ../shared/data/polypgen --split $split -m runs/pg14/bf16cl -o runs/pg17/pg14_bf16cl_mirror_$split --no-overlays --batch-size 16 --mirror
  .venv/bin/sdseg evaluate runs/pg17/pg14_bf16cl_mirror_$split ../shared/data/polypgen --split $split
done
.venv/bin/sdseg predict ../shared/data/polypgen --split val -m runs/pg14/bf16cl -o runs/pg17/pg14_bf16cl_plain_val --no-overlays --batch-size 16
.venv/bin/sdseg evaluate runs/pg17/pg14_bf16cl_plain_val ../shared/data/polypgen --split val
