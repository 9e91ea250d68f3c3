#!/usr/bin/env bash
# Nineteenth round: a cpu128 SDSeg step with the adopted half-width UNet and 12 free channels in c, against the
# preset as it was (--set restores its UNet widths and c's 4 channels); one thread, idle 2-core machine,
# alternately, twice each.
cd /work/main
P=docs/results/performance_cpu
for r in 1 2; do
  .venv/bin/python benchmarks/bench_train.py --presets cpu128 --threads 1 --warmup 3 --steps 20 \
      --json $P/bench_train_cpu128_round19_new_repeat$r.json
  .venv/bin/python benchmarks/bench_train.py --presets cpu128 --threads 1 --warmup 3 --steps 20 \
      --set 'unet.block_out_channels=[64,128,256]' --set vision_encoder.extra_channels=0 \
      --json $P/bench_train_cpu128_round19_old_repeat$r.json
done
