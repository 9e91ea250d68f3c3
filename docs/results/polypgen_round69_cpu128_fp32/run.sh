#!/usr/bin/env bash
# Sixty-ninth round: the latent scale factor from the first 16 training batches (training.scale_batches 16, 128
# masks) instead of the first one (8 masks, LDM's and the paper's rule). Round 68 found cpu128's factor ranging 0.65 to
# 0.99 over seeds 12-17, set by which 8 masks come first; round 51's references here had 0.691 (seed 7) and 0.839
# (seed 6). scale16_seed7/6 train cpu128 with it, 3000 steps each on round 51's first stage, side by side, one thread
# each, queued after the BraTS pair (run_side_by_side_no_per_image.sh).
# Rule, set before the results: as round 51's, a 90-minute pair if the mean val Dice at steps 2000, 2500 and 3000 is
# at least 0.01 above the reference's (runs/pg51/ref_seed7, ref_seed6) at both seeds. Otherwise the option stays for
# runs that want the factor tied to the data, and no preset sets it.
set -euo pipefail
cd /work/main
AFTER=runs/brats6j.done DONE=runs/pg51/round69.done REFS="ref_seed7=pg51/ref_seed7 ref_seed6=pg51/ref_seed6" \
    RUNS=runs/pg51 OUT=docs/results/polypgen_round69_cpu128_fp32 \
    bash benchmarks/polypgen.sh screen_pair scale16 3000 --set training.scale_batches=16
