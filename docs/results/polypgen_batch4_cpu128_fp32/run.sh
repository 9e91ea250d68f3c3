#!/usr/bin/env bash
# Seventeenth round, a late screen at 128²: cpu128 at batch 4 instead of 8 (about half the cost a step, so about
# twice the steps in a budget: the 90-minute runs are step-limited). 2000 steps each, seed 0, one thread each, side
# by side, on the sixteenth round's first stage (runs/pg27/ae): lr 5e-4 as cpu128, and 3.5e-4 (÷√2 for the half batch).
# Compared with runs/pg27/ref128's curve (batch 8) at equal samples and at equal wall-clock time.
cd /work/main
export RUNS=runs/pg27
bash benchmarks/polypgen.sh screen b4 2000 --set training.batch_size=4 &
bash benchmarks/polypgen.sh screen b4_lr3.5e-4 2000 --set training.batch_size=4 --set training.lr=0.00035 &
wait
