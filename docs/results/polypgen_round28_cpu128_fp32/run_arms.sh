#!/usr/bin/env bash
# Twenty-eighth round: does zsnr (cpu128 + a zero-terminal-SNR schedule, round 27) keep cpu128's Dice at a third
# training seed? 90-minute arms at seed 2, one thread each, side by side on this instance: zsnr_seed2, and cpu128 itself
# again (ref28_seed2). Why the second arm: round 27's zsnr pair ran on an instance ~10 % slower per step than its
# references' (3125/3086 steps against 3470/3481), so its best-val deficit mixed the schedule with the lost steps; a
# reference run beside it has the same steps and load, and against round 24's ref_seed2 (same preset, seed, first stage)
# it also measures how far two 90-minute runs of one preset and seed differ between instances. Same first stage as
# rounds 25-27 (runs/pg34/ae, charged the references' 612 s).
# Adoption rule, written while the arms ran: zsnr becomes cpu128 if zsnr_seed2's best val Dice at the original size
# is no more than 0.01 below ref28_seed2's (it meets the issue's std <= 0.02, which cpu128 misses, so a tie goes to
# it); otherwise cpu128 stays and zsnr remains a documented option.
cd /work/main
export RUNS=runs/pg34 OUT=docs/results/polypgen_round28_cpu128_fp32
bash benchmarks/polypgen.sh arm ref28_seed2 90 --seed 2 &
bash benchmarks/polypgen.sh arm zsnr_seed2 90 --seed 2 --set scheduler.rescale_betas_zero_snr=true &
wait
