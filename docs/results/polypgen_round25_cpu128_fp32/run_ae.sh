#!/usr/bin/env bash
# Twenty-fifth round, fresh checkout: the cpu128 first stage retrained exactly as benchmarks/polypgen.sh's train_sdseg
# does (one thread; it reproduces earlier rounds' to every digit), so the screens repeat earlier runs by step.
cd /work/main
export OMP_NUM_THREADS=1
RUNS=runs/pg34
started=$SECONDS
.venv/bin/sdseg train-autoencoder ../shared/data/polypgen -o $RUNS/ae --config cpu128 > $RUNS/ae.log 2>&1
echo $(( SECONDS - started )) > $RUNS/ae_seconds
