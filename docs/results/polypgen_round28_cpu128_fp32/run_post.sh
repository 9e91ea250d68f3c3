#!/usr/bin/env bash
# Twenty-eighth round, after run_arms.sh: both seed-2 arms against round 24's ref_seed2 (cpu128, seed 2, another
# instance) by benchmarks/polypgen.sh compare (paired test, val and test misses per image, 10-draw stability, misses,
# size split, val by step), then zsnr_seed2 against ref28_seed2 paired (the equal-load comparison), and DDIM-10 of each.
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round28_cpu128_fp32
REF=docs/results/polypgen_round24_cpu128_fp32 REF_A=ref_seed2 REF_B=ref_seed2 STEPS=500,1000,1500,2000,2500,3000,3500,4000 \
    bash benchmarks/polypgen.sh compare ref28_seed2 zsnr_seed2
.venv/bin/python benchmarks/paired_dice.py $OUT/ref28_seed2_1step_summary.json $OUT/zsnr_seed2_1step_summary.json \
    -o $OUT/paired_zsnr_seed2_minus_ref28_seed2.json
export OMP_NUM_THREADS=1
for run in ref28_seed2 zsnr_seed2; do
    bash benchmarks/polypgen.sh test_dice $run $RUNS/${run}_pred_10 $OUT/${run}_10step_summary.json --steps 10 \
        > $RUNS/${run}_pred_10.log 2>&1 &
done
wait
date > $RUNS/post28.done
