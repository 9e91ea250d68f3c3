#!/usr/bin/env bash
# First stages for the next 128² pair, trained side by side (one thread each) so both minutes are measured under the
# load a budgeted arm sees: 250 steps (new) and 500 steps (the preset now; repeats runs/pg23b/ae, 719 s).
cd /work/main
export OMP_NUM_THREADS=1
ae() {  # ae STEPS
    local s=$SECONDS
    .venv/bin/sdseg train-autoencoder ../shared/data/polypgen -o runs/pg25/ae$1/ae --config cpu128 \
        --set autoencoder_training.steps=$1 > runs/pg25/ae$1.log 2>&1
    echo $(( SECONDS - s )) > runs/pg25/ae$1/ae_seconds
}
mkdir -p runs/pg25/ae250 runs/pg25/ae500
ae 250 & ae 500 & wait
date > runs/pg25/done
