#!/usr/bin/env bash
# Fourteenth round, 64² screen on the free cores once each 128² arm has ended: the taef2-encoder recipe with
# condition_foreground (the twelfth round's condfg seed-0 arm: val 0.702, test 0.698) with every item at T−1,
# as x0 (`sample`) prediction (Lotus' single-step regime) and as v-prediction. Step-budgeted, seed 0, one thread.
cd /work/main
CONDFG='training.loss_weights={"prediction":1,"latent":1,"condition":1,"condition_foreground":1}'
S=docs/results/polypgen_ablation64/screen_condfg.sh
( while [ ! -f runs/pg24a/done ]; do sleep 30; done
  bash $S x0final 0 --set "$CONDFG" --set scheduler.prediction_type=sample --set training.final_timestep_fraction=1 ) &
( while [ ! -f runs/pg24b/done ]; do sleep 30; done
  bash $S vfinal1 0 --set "$CONDFG" --set training.final_timestep_fraction=1 ) &
wait
date > runs/pg24a/screen_done
