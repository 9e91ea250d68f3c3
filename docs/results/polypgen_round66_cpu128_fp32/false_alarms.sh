#!/usr/bin/env bash
# After rounds 65-66: the false alarms of the 3000-step screens' best/ models, with and without the polyp-free images
# drawn twice, at seeds 7, 6 and 5 (presence.py's counts on val and test; no rule is read from them).
set -euo pipefail
cd /work/main
export OMP_NUM_THREADS=1
OUT=docs/results/polypgen_round66_cpu128_fp32
for seed in 7 6 5; do
    for arm in ref oversample; do
        .venv/bin/python benchmarks/presence.py runs/pg51/${arm}_seed$seed/best --data ../shared/data/polypgen \
            -o $OUT/${arm}_seed${seed}_presence.json > /dev/null 2>&1 &
    done
    wait
done
