"""Replay a diverged `sdseg train` run from its last checkpoint under autograd anomaly detection.

The lr1e-3 arm stopped at step 1261 (fp32): its losses stayed finite while the gradients turned
NaN, inf or ~1e12 from step ~1214 on. Resuming is exact (same batches, timesteps and noise), so the
replay reaches the same state, and anomaly mode raises at the first backward op that returns NaN,
printing the forward call that created it.

    python replay_anomaly.py train ../shared/data/polypgen --first-stage runs/pg27/ae \
        -o runs/pg27/lr1e-3_replay --resume --set training.steps=1260 --set training.max_minutes=0
"""
import sys

import torch

from sdseg.cli.main import main

torch.autograd.set_detect_anomaly(True, check_nan=True)
sys.exit(main(sys.argv[1:]))
