#!/usr/bin/env bash
# after both pg17 arms: stabilities (10 seeds, 2 threads), mirroring on the sixth round's model, mirrored stability of bf16cl
set -euo pipefail
export OMP_NUM_THREADS=2
S=.venv/bin/sdseg; D=../shared/data/polypgen
for a in bf16cl_s1 bf16cl_wsd; do
  $S stability $D --split test -m runs/pg17/$a -o runs/pg17/${a}_stability --runs 10 --batch-size 16
done
$S predict $D --split test -m runs/pg16/bf16 -o runs/pg17/pg16_bf16_test_mirror --no-overlays --batch-size 16 --mirror
$S evaluate runs/pg17/pg16_bf16_test_mirror $D --split test
$S stability $D --split test -m runs/pg14/bf16cl -o runs/pg17/pg14_bf16cl_stability_mirror --runs 10 --batch-size 16 --mirror
echo done
