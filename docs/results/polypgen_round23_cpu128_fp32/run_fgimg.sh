#!/usr/bin/env bash
# Twenty-third round, 90-minute budget (first stage charged: runs/pg31/ae reused, 612 s), one thread, two of these side
# by side (seeds 0 and 1). fgimg = cpu128 with condition_foreground replaced by condition_foreground_per_image (the
# twenty-second round's screen: ahead of cpu128's curve at both seeds to 2000 steps, level at seed 0 by 3000). Compared
# with cpu128's 90-minute runs at the same seeds, which trained under the same load: round 21's ref (seed 0) and
# round 22's ref (seed 1). Usage: run_fgimg.sh SEED
cd /work/main
SEED=$1
NAME=fgimg; [ "$SEED" = 0 ] || NAME=fgimg_seed$SEED
export RUNS=runs/pg32 OUT=docs/results/polypgen_round23_cpu128_fp32
bash benchmarks/polypgen.sh arm $NAME 90 --seed $SEED --set 'unet.block_out_channels=[32,64,128]' \
    --set vision_encoder.extra_channels=12 --set training.batch_size=8 --set training.val_every=500 \
    --set training.checkpoint_every=500 \
    --set 'training.loss_weights={"prediction":1,"latent":1,"condition":1,"condition_foreground_per_image":1}'
