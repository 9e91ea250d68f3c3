#!/usr/bin/env bash
# After run.sh: both arms' DDIM-50 test Dice (issue 10 item 5: 1 step, DDIM-10 and DDIM-50 for the default model,
# which ref_seed7 is), one thread each, side by side.
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round33_cpu128_fp32
bash benchmarks/polypgen.sh ddim 50 ref_seed7 phases96_seed7
date > $RUNS/ddim33.done
