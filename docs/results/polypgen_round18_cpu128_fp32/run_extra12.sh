#!/usr/bin/env bash
# Eighteenth round, 90-minute budget (first stage charged), one thread, seed 0, beside unet32 (run_unet32.sh).
# extra12: cpu128 whose vision encoder gives c 4 + 12 channels: the 4 the condition losses pull towards z0, and 12
#          free feature channels, so the UNet sees the image through 16 channels at 16² instead of 4 (the paper's
#          c is exactly the mask latent's 4). Should cost little: only the encoder's 1×1/3×3 output convs grow.
cd /work/main
export RUNS=runs/pg27 OUT=docs/results/polypgen_round18_cpu128_fp32
bash benchmarks/polypgen.sh arm extra12 90 --set vision_encoder.extra_channels=12
