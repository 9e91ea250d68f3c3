#!/usr/bin/env bash
# D=RESULTS bash benchmarks/stability_runs.sh RUN... -- `sdseg stability` (10 noise seeds, single step, PolypGen's test
# split) on trained models under runs/ (RUN like pg34/ref), one thread each, side by side; each stability.json is
# copied into $D as RUN's path with `_` for `/` (pg34_ref_stability.json). Run from the repository root.
set -u
: "${D:?set D to the results folder the stability.json files go to}"
export OMP_NUM_THREADS=1
for r in "$@"; do
  .venv/bin/sdseg stability ../shared/data/polypgen --split test -m runs/$r -o runs/${r}_stability --runs 10 --batch-size 16 \
      > runs/${r}_stability.log 2>&1 && cp runs/${r}_stability/stability.json $D/${r/\//_}_stability.json &
done
wait
