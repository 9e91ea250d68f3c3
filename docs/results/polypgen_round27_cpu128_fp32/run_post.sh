#!/usr/bin/env bash
# Twenty-seventh round, after run_arms.sh: the zsnr pair against round 23's fgimg pair (today's cpu128 at the same seeds)
# by benchmarks/polypgen.sh compare: paired test, test misses per image, 10-draw stability, misses, size split, val by step.
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round27_cpu128_fp32
bash benchmarks/polypgen.sh compare zsnr zsnr_seed1
date > $RUNS/post27.done
