#!/usr/bin/env bash
# Twenty-first round, after the 90-minute pair and its scoring: gradient clipping, 1000 steps each at seed 0, one
# thread each, side by side on the same first stage (runs/pg30/ae, a copy of runs/pg29/ae), compared by step with
# cpu128's deterministic seed-0 curve (ref: 0.3491 / 0.5204 at 500 / 1000). cpu128 clips every update's gradient
# norm at 1.0 (training.max_grad_norm), and its logged norms run 2-8 all through a full run, so every update is
# clipped: each batch gets the same step length whatever its gradient. Never screened before.
#   clip4:  clip at 4 (about the median norm: the larger half of updates clipped)
#   noclip: no clipping (1e9)
# SEED=1 bash run_screen.sh: the same at training seed 1 (clip4_seed1_1000, noclip_seed1_1000), against cpu128's
# seed-1 curve (the nineteenth round's u32x12_seed1_1000: 0.3385 / 0.5247).
cd /work/main
export RUNS=runs/pg30
while [ ! -f runs/pg30/post.done ]; do sleep 30; done
SEED=${SEED:-0}; TAG=$([ "$SEED" = 0 ] || echo _seed$SEED)
PIN=(--seed "$SEED" --set 'unet.block_out_channels=[32,64,128]' --set vision_encoder.extra_channels=12 --set training.batch_size=8)
bash benchmarks/polypgen.sh screen clip4${TAG}_1000 1000 "${PIN[@]}" --set training.max_grad_norm=4 &
bash benchmarks/polypgen.sh screen noclip${TAG}_1000 1000 "${PIN[@]}" --set training.max_grad_norm=1e9 &
wait
