#!/usr/bin/env bash
# Twenty-ninth round, after run_arms.sh: the seed-3 pair scored by benchmarks/polypgen.sh compare with no recorded
# reference (REF=none: per-image val and test misses, 10-draw stability, zsnr_seed3 minus ref_seed3 paired on test,
# misses, size split, val by step), then DDIM-10 of both and DDIM-50 of zsnr_seed3, today's cpu128 (the issue asks
# the default's multi-step figures).
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round29_cpu128_fp32
REF=none STEPS=500,1000,1500,2000,2500,3000,3500,4000 bash benchmarks/polypgen.sh compare ref_seed3 zsnr_seed3
export OMP_NUM_THREADS=1
for run in ref_seed3 zsnr_seed3; do
    bash benchmarks/polypgen.sh test_dice $run $RUNS/${run}_pred_10 $OUT/${run}_10step_summary.json --steps 10 \
        > $RUNS/${run}_pred_10.log 2>&1 &
done
wait
bash benchmarks/polypgen.sh test_dice zsnr_seed3 $RUNS/zsnr_seed3_pred_50 $OUT/zsnr_seed3_50step_summary.json \
    --steps 50 > $RUNS/zsnr_seed3_pred_50.log 2>&1
date > $RUNS/post29.done
