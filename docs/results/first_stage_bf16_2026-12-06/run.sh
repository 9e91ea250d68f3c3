#!/usr/bin/env bash
# The first stage in bf16 on the 2-core AVX-512 EPYC (prepared and run 2026-12-06): `cpu128`'s 500-step first stage on
# PolypGen in fp32 and in bf16 autocast, side by side, one thread each, seed 0 (the protocol's first stage).
# Why: `sdseg train` points users on a CPU with native bf16 to --mixed-precision bf16 (six seeds, RESULTS rounds 79-80),
# `train-autoencoder` does not; bench_train.py measured its step at 1.68 steps/s in bf16 against 1.13 in fp32 here
# (cpu128, batch 8, one thread, idle). The protocol's first stage took 471 s of SDSeg's 90 minutes in fp32 (round 81).
# Rule, set before the results: train-autoencoder gets the same note if bf16's val mask round-trip Dice is at least
# fp32's - 0.005 at the same 500 steps and its wall time is lower. One seed: SDSeg trained on it is not measured here.
set -euo pipefail
cd /work/main
RUNS=runs/ae_bf16
OUT=docs/results/first_stage_bf16_2026-12-06
mkdir -p "$RUNS"
export OMP_NUM_THREADS=1
for mp in no bf16; do
    ( started=$SECONDS
      .venv/bin/sdseg train-autoencoder ../shared/data/polypgen -o "$RUNS/$mp" --config cpu128 --mixed-precision "$mp" \
          > "$RUNS/$mp.log" 2>&1
      echo $(( SECONDS - started )) > "$OUT/seconds_$mp.txt"
      cp "$RUNS/$mp/summary.json" "$OUT/first_stage_$mp.json" ) &
done
wait
