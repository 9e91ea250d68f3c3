#!/usr/bin/env bash
# Twenty-second round, after the seed-1 pair (ref, old) has trained and scored its single draws:
# 1. the screen, started at once, one thread each, step-budgeted (so sharing the cores with 2-3 changes only its wall
#    time): fgimg = cpu128 with condition_foreground averaged per image (condition_foreground_per_image) instead of over
#    the batch's foreground pixels, 2000 steps at training seeds 0 and 1, against cpu128's own curves at those seeds
#    (the twenty-first round's ref, seed 0; this round's ref, seed 1). cpu128's misses are mostly polyps under 2 % of
#    the image; the batch-wide mean weighs each polyp by its area.
# 2. the pair's scoring: val at original size, paired test (ref here is seed 1 and the twenty-first round's ref seed 0:
#    that pair measures the training seed), misses, elapsed, and stability of both models.
cd /work/main
export RUNS=runs/pg31
D=docs/results/polypgen_round22_cpu128_fp32
while [ ! -f $RUNS/ref.done ] || [ ! -f $RUNS/old.done ]; do sleep 30; done
PIN=(--set 'unet.block_out_channels=[32,64,128]' --set vision_encoder.extra_channels=12 --set training.batch_size=8
     --set 'training.loss_weights={"prediction":1,"latent":1,"condition":1,"condition_foreground_per_image":1}')
bash benchmarks/polypgen.sh screen fgimg_2000 2000 --seed 0 "${PIN[@]}" &
bash benchmarks/polypgen.sh screen fgimg_seed1_2000 2000 --seed 1 "${PIN[@]}" &
RUNS=$RUNS D=$D P=docs/results/polypgen_round21_cpu128_fp32 A=ref B=old PREV=ref DONE=pair_scored \
    bash docs/results/polypgen_round20_cpu128_fp32/score.sh
.venv/bin/python docs/results/polypgen_round20_cpu128_fp32/elapsed.py $RUNS ref old > $D/elapsed.json
D=$D bash benchmarks/stability_runs.sh pg31/ref pg31/old
wait
for r in fgimg_2000 fgimg_seed1_2000; do
  cp $RUNS/$r/summary.json $D/${r}_training.json && cp $RUNS/$r/preset.json $D/${r}_preset.json
done
STEPS=500,1000,1500,2000 .venv/bin/python benchmarks/val_by_step.py \
    "cpu128 seed 0 (twenty-first round's ref)=pg30/ref" "fgimg seed 0=pg31/fgimg_2000" \
    "cpu128 seed 1 (this round's ref)=pg31/ref" "fgimg seed 1=pg31/fgimg_seed1_2000" > $D/screen_val.json
date > $RUNS/post.done
