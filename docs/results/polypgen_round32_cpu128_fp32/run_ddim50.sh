#!/usr/bin/env bash
# After run.sh: both arms' DDIM-50 test Dice (issue 10 item 5 asks 1 step, DDIM-10 and DDIM-50 for the default
# model, which coarse4k_seed6's recipe now is), one thread each, side by side.
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round32_cpu128_fp32
bash benchmarks/polypgen.sh ddim 50 ref_seed6 coarse4k_seed6
