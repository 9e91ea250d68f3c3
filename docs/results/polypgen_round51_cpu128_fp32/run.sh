#!/usr/bin/env bash
# Fifty-first round: a deeper vision encoder. Width helped it (third round: 32·[1,2,4,4] over the first stage's
# 16·[1,2,4,4]) and a narrower or half-size one cost val, but depth was never tried: cpu128's encoder has one ResNet
# block per level. enc_depth2_seed7 and enc_depth2_seed6 train today's cpu128 with vision_encoder.layers_per_block 2
# (the extra blocks from scratch, as the wider encoder's are) for 3000 steps each, one thread each, side by side,
# on round 32's first stage, read at equal steps against cpu128 at seeds 7 and 6 (condition2_seed7/6).
# runs/ did not survive the move to a fresh checkout, so the first stage is trained again with round 32's command
# (cpu128, seed 0, one thread); the run stops unless its val round trip equals the recorded 0.9541577265717841.
# Rule, set before the results: depth 2 earns a 90-minute pair if the mean val Dice at steps 2000, 2500 and 3000 is
# at least 0.01 above cpu128's at both seeds. Queued after the BraTS runs (the machine otherwise idle).
set -euo pipefail
cd /work/main
while [ ! -f runs/brats6h/done ]; do sleep 20; done
export RUNS=runs/pg34
mkdir -p "$RUNS"
if [ ! -f "$RUNS/ae/summary.json" ]; then
    OMP_NUM_THREADS=1 .venv/bin/sdseg train-autoencoder ../shared/data/polypgen -o "$RUNS/ae" --config cpu128 \
        > "$RUNS/ae.log" 2>&1
fi
python3 -c "import json, sys; d = json.load(open('$RUNS/ae/summary.json'))['val_mask_round_trip_dice']; \
print('round trip', d); sys.exit(d != 0.9541577265717841)"
OUT=docs/results/polypgen_round51_cpu128_fp32 \
    bash benchmarks/polypgen.sh screen_pair enc_depth2 3000 --set vision_encoder.layers_per_block=2
date > "$RUNS/round51.done"
