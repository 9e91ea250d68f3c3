#!/usr/bin/env bash
# Thirty-first round: the seed-5 pair of round 30's short repeat (ref_seed5_short, coarse64_seed5_short: 55 minutes
# each, side by side) resumed from their last checkpoints to the full 90 minutes, side by side again, one thread each,
# so the 64² head start has a second full-budget seed without training the first 45 minutes again. Each run is
# copied first (the short runs stay as recorded) and resumed for 90 min less the first stage's charged 612 s less the
# ~2700 s its first part spent in training: 34.8 minutes. Resumed runs are not bitwise those of an uninterrupted run
# (known), but both arms are resumed alike.
# Rule, set before the results: cpu128 takes training.coarse_size=64 / coarse_steps=2000 if the mean over seeds 4 and
# 5 of (coarse64 best val - ref best val) is at least +0.01 (seed 4: -0.006, so seed 5 needs >= +0.026), with its
# per-image std over 10 draws still <= 0.02 at both seeds.
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round31_cpu128_fp32
DATA=../shared/data/polypgen
resume() {
    local short=$1 name=$2
    export OMP_NUM_THREADS=1
    rm -rf "$RUNS/$name" && cp -r "$RUNS/$short" "$RUNS/$name"
    .venv/bin/sdseg train "$DATA" --first-stage "$RUNS/ae" -o "$RUNS/$name" --resume --seed 5 \
        --set training.max_minutes=34.8 > "$RUNS/$name.log" 2>&1
    RUN=$name bash benchmarks/polypgen.sh score_single >> "$RUNS/$name.out" 2>&1
    date > "$RUNS/$name.done"
}
resume ref_seed5_short ref_seed5 &
resume coarse64_seed5_short coarse64_seed5 &
wait
REF=none STEPS=500,1000,1500,2000,2500,3000,3500,4000 bash benchmarks/polypgen.sh compare ref_seed5 coarse64_seed5
bash benchmarks/polypgen.sh ddim 10 ref_seed5 coarse64_seed5
date > $RUNS/post31.done
