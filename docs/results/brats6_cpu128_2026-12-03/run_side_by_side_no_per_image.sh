#!/usr/bin/env bash
# BraTS cause (b), the last of cpu128's PolypGen choices to separate, as a side-by-side pair like
# run_side_by_side_old_networks.sh (2026-12-05, queued after PolypGen round 68 on the 2-core AVX-512 EPYC, otherwise
# idle): the control's recorded preset (CONFIG, cpu128 without the 64² phase) against the same with the per-image
# foreground term on c off (training.loss_weights.condition_foreground_per_image 0; the older recipe had no foreground
# term), one change. Both arms here, one thread each, 45 minutes each, on one first stage (runs/brats6g/ae, round trip
# 0.8627), at one seed; the control is trained again beside it so both share the machine's load.
# Reading, set before the results: the per-image term is named as what costs BraTS if the arm's test class mean is
# >= 0.02 above the control's and it leads val at equal steps at most checks; otherwise it is not it. One validation
# volume, two test cases: a direction, not a benchmark.
set -euo pipefail
cd /work/main
while [ ! -f runs/pg51/round68.done ]; do sleep 20; done
export THREADS=1 CONFIG=docs/results/brats6_cpu128_2026-12-03/no_coarse/sdseg_preset.json
D=docs/results/brats6_cpu128_2026-12-03
for arm in ctrl nopi; do
    mkdir -p runs/brats6j_$arm && rm -rf runs/brats6j_$arm/ae && cp -r runs/brats6g/ae runs/brats6j_$arm/ae
done
RUNS=runs/brats6j_ctrl bash benchmarks/brats6.sh train 45 &
RUNS=runs/brats6j_nopi bash benchmarks/brats6.sh train 45 --set training.loss_weights.condition_foreground_per_image=0 &
wait
RUNS=runs/brats6j_ctrl OUT=$D/pair2_control bash benchmarks/brats6.sh score > runs/brats6j_ctrl/score.log 2>&1 &
RUNS=runs/brats6j_nopi OUT=$D/pair2_no_per_image bash benchmarks/brats6.sh score > runs/brats6j_nopi/score.log 2>&1 &
wait
date > runs/brats6j.done
