#!/usr/bin/env bash
# Forty-third round: with the condition term doubled (round 39), c's first four channels are pulled harder toward the
# mask latent; the UNet's other view of the image is the vision encoder's free channels (extra_channels, 12 since the
# nineteenth round; only 0 and 12 were ever measured). extra24_seed7 and extra24_seed6 train today's cpu128 with
# vision_encoder.extra_channels 24 for 3000 steps each, one thread each, side by side, on round 32's first stage, read
# at equal steps against the recorded condition2_seed7 and condition2_seed6 (today's cpu128; rounds 37 and 38).
# Rule, set before the results: 24 free channels earn a 90-minute pair if the mean val Dice at steps 2000, 2500 and
# 3000 is at least 0.01 above cpu128's at both seeds.
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round43_cpu128_fp32
bash benchmarks/polypgen.sh screen extra24_seed7 3000 --seed 7 --set vision_encoder.extra_channels=24 &
bash benchmarks/polypgen.sh screen extra24_seed6 3000 --seed 6 --set vision_encoder.extra_channels=24 &
wait
REFS="condition2_seed7=docs/results/polypgen_round37_cpu128_fp32/condition2_seed7_training.json
      condition2_seed6=docs/results/polypgen_round38_cpu128_fp32/condition2_seed6_training.json" \
    bash benchmarks/polypgen.sh read_screens extra24_seed7 extra24_seed6
date > $RUNS/round43.done
