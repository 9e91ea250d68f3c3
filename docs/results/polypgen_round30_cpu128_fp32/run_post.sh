#!/usr/bin/env bash
# Thirtieth round, after run_arms.sh: the seed-4 pair scored by benchmarks/polypgen.sh compare (REF=none: per-image
# val and test misses, 10-draw stability, coarse64_seed4 minus ref_seed4 paired on test, misses, size split, val by
# step), then both arms' DDIM-10.
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round30_cpu128_fp32
REF=none STEPS=500,1000,1500,2000,2500,3000,3500,4000 bash benchmarks/polypgen.sh compare ref_seed4 coarse64_seed4
bash benchmarks/polypgen.sh ddim 10 ref_seed4 coarse64_seed4
date > $RUNS/post30.done
