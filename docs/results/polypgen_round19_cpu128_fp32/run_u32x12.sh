#!/usr/bin/env bash
# Nineteenth round, 90-minute budget (first stage charged), one thread, seed 0, beside run_ref.sh.
# u32x12: cpu128 with a half-width UNet (32·[1,2,4]) and 12 free feature channels in c: the eighteenth round's
#         screen candidate (cheaper step, no per-step loss seen), now at equal time beside cpu128 on one instance.
cd /work/main
export RUNS=runs/pg28 OUT=docs/results/polypgen_round19_cpu128_fp32
bash benchmarks/polypgen.sh arm u32x12 90 --set 'unet.block_out_channels=[32,64,128]' --set vision_encoder.extra_channels=12
