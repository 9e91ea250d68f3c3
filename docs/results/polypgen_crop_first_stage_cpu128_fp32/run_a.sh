#!/usr/bin/env bash
# 128² on this AMD machine (fp32), one thread: cpu128 as committed around the crop-trained first stage
# (runs/pg21/ae -> ae_crop64, 431 s), so SDSeg gets 90 - 7.2 min.
set -euo pipefail
date > runs/pg21/cpu128_started
RUNS=runs/pg21 bash benchmarks/polypgen.sh train_sdseg cpu128 90
date > runs/pg21/cpu128_done
