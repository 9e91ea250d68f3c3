#!/usr/bin/env bash
# Seventy-second round: the vision encoder without its full-resolution level, the image unshuffled (space-to-depth)
# into it: vision_encoder.image_downscale 2 with image_downscale_mode "unshuffle" (each 2x2 block's 12 values as
# channels) and block_out_channels [64, 128, 128], the rest of cpu128 as is (extra_channels 12). Round 70 put most of
# the model's recognition in the vision encoder, whose 128^2 level is most of a step's cost (docs/PERFORMANCE.md);
# round 17's average-pooled version of the same encoder learned less per step (-0.016 at 2000), perhaps from the
# detail pooling drops, which unshuffling keeps.
# 1. Step cost at 128^2: bench_train.py, cpu128 and the unshuffled encoder side by side, one thread each.
# 2. Screen: unshuffle_seed7/6, 3000 steps (the 64^2 phase) on round 51's first stage, side by side.
# Rule, set before the results: a 90-minute pair (cpu128 against it at a new seed) if (1) its 128^2 step is at least
# 1.15x as fast as cpu128's and (2) its mean val Dice at steps 2000, 2500, 3000 is no more than 0.005 below the
# reference's (runs/pg51/ref_seed7, ref_seed6) at both seeds: a cheaper step need not learn more per step, only as much.
set -euo pipefail
cd /work/main
OUT=docs/results/polypgen_round72_cpu128_fp32
UNSHUFFLE=(--set vision_encoder.block_out_channels=[64,128,128] --set vision_encoder.image_downscale=2
           --set vision_encoder.image_downscale_mode=unshuffle)
.venv/bin/python benchmarks/bench_train.py --presets cpu128 --threads 1 --json "$OUT/bench_train_cpu128.json" \
    > runs/pg51/round72_bench_cpu128.log 2>&1 &
.venv/bin/python benchmarks/bench_train.py --presets cpu128 --threads 1 "${UNSHUFFLE[@]}" \
    --json "$OUT/bench_train_unshuffle.json" > runs/pg51/round72_bench_unshuffle.log 2>&1
wait
DONE=runs/pg51/round72.done REFS="ref_seed7=pg51/ref_seed7 ref_seed6=pg51/ref_seed6" RUNS=runs/pg51 OUT=$OUT \
    bash benchmarks/polypgen.sh screen_pair unshuffle 3000 "${UNSHUFFLE[@]}"
