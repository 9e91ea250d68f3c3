#!/usr/bin/env bash
# Twenty-seventh round, after the pair: zsnr at training seed 2 for 2000 steps (step-budgeted, one thread; it started
# beside a CI run, which only changes its wall time), its val curve against cpu128's recorded seed-2 run (round 24's
# ref_seed2, which repeats by step) -- a third seed for the val question the pair left open. DDIM-10 on the test split
# for both 90-minute zsnr models on the other core: does multi-step sampling still work at zero terminal SNR.
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round27_cpu128_fp32
bash benchmarks/polypgen.sh screen zsnr_seed2_2000 2000 --seed 2 --set scheduler.rescale_betas_zero_snr=true &
export OMP_NUM_THREADS=1
for r in zsnr zsnr_seed1; do
  bash benchmarks/polypgen.sh test_dice $r $RUNS/${r}_pred_10 $OUT/${r}_10step_summary.json --steps 10 > $RUNS/${r}_pred_10.log 2>&1
done
wait
bash benchmarks/polypgen.sh record zsnr_seed2_2000
STEPS=500,1000,1500,2000 .venv/bin/python benchmarks/val_by_step.py \
    "cpu128 seed 2=docs/results/polypgen_round24_cpu128_fp32/ref_seed2_training.json" "zsnr seed 2=pg34/zsnr_seed2_2000" \
    > $OUT/val_by_step_seed2.json
date > $RUNS/screen27.done
