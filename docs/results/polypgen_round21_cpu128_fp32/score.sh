#!/usr/bin/env bash
# Twenty-first round, after both arms are done: the twentieth round's score.sh (val at original size, paired test
# plain and mirrored, ref against the twentieth round's ref -- the same run by step -- and misses), then seconds per
# val step and 10-draw stability on both; runs/pg30/post.done, which run_screen.sh waits for, marks the end.
cd /work/main
D=docs/results/polypgen_round21_cpu128_fp32 P=docs/results/polypgen_round20_cpu128_fp32
RUNS=runs/pg30 D=$D P=$P A=ref B=noattn PREV=ref DONE=pair_scored bash $P/score.sh
.venv/bin/python $P/elapsed.py runs/pg30 ref noattn > $D/elapsed.json
D=$D bash benchmarks/stability_runs.sh pg30/ref pg30/noattn
date > runs/pg30/post.done
