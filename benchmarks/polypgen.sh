#!/usr/bin/env bash
# PolypGen end to end on a CPU, as recorded in docs/RESULTS.md. Run from the repository root after `make install`
# and `.venv/bin/pip install -e '.[bench]'` (MONAI, the baseline's network); the data is read from
# ../shared/data/polypgen (never copied).
#
#   [SEED=N] bash benchmarks/polypgen.sh train [BUDGET_MINUTES [SDSEG OPTIONS]]  # both arms at once, BUDGET each
#                                                        # (default 90), both seeded with SEED (default 0);
#                                                        # BASELINE_ARGS: the baseline's own extra options
#   bash benchmarks/polypgen.sh score                    # test-split figures (score_sdseg + score_baseline)
#   bash benchmarks/polypgen.sh train_sdseg NAME BUDGET [--set K=V ...]  # one more SDSeg arm, same first stage
#   RUN=NAME bash benchmarks/polypgen.sh score_sdseg    # score that arm (default RUN=sdseg)
#   RUN=NAME bash benchmarks/polypgen.sh score_single   # that arm's single-step test Dice, plain and mirrored
#   bash benchmarks/polypgen.sh arm NAME BUDGET [--set K=V ...]   # train_sdseg, then score_single, then NAME.done
#   bash benchmarks/polypgen.sh screen NAME STEPS [--set K=V ...] # a step-budgeted arm on $RUNS/ae, then NAME.done
#   bash benchmarks/polypgen.sh record NAME...           # copy those runs' summary.json and preset.json into $OUT
#   REFS='LABEL=RUN ...' bash benchmarks/polypgen.sh read_screens NAME...  # record them, val by step beside REFS
#   bash benchmarks/polypgen.sh screen_pair NAME STEPS [--set K=V ...]  # NAME_seed7 and NAME_seed6 side by side, read
#                                                        # against cpu128 at those seeds (REFS); AFTER=/DONE= files
#   bash benchmarks/polypgen.sh compare A B              # arms A, B scored, B - A, and against cpu128 runs (REF_A, REF_B)
#   bash benchmarks/polypgen.sh pair NAME SEED [--set K=V ...]  # cpu128 and NAME at SEED, 90 minutes side by side,
#                                                        # compared (REF=none), presence.py on both
#   bash benchmarks/polypgen.sh ddim STEPS NAME...       # those arms' DDIM-STEPS test Dice, side by side
#   bash benchmarks/polypgen.sh train_taef2 [SDSEG_STEPS]              # pretrained taef2 first stage
#   bash benchmarks/polypgen.sh score_taef2
#
# `train` runs the supervised baseline (MONAI BasicUNet, the preset's image size and augmentation)
# concurrently with the SDSeg chain (first stage, then SDSeg), one thread each, so both see the same
# load; the baseline trains for the budget, SDSeg for the budget less the first stage's minutes.
# `score` predicts the test split (1, 10 and 50 steps), evaluates SDSeg and the baseline, runs
# the stability protocol, and copies every summary into docs/results/polypgen_cpu128/.
set -euo pipefail
DATA=../shared/data/polypgen
RUNS=${RUNS:-runs/polypgen}
SDSEG=.venv/bin/sdseg
OUT=${OUT:-docs/results/polypgen_cpu128}
CONFIG=${CONFIG:-cpu128}
mkdir -p "$RUNS"

train() {
    local budget=${1:-90} seed=${SEED:-0}
    shift || true
    .venv/bin/python -c "import monai" 2>/dev/null \
        || { echo "the baseline needs MONAI: .venv/bin/pip install -e '.[bench]'" >&2; exit 1; }
    export OMP_NUM_THREADS=1
    .venv/bin/python benchmarks/baseline_unet.py "$DATA" -o "$RUNS/baseline" --config "$CONFIG" \
        --network basicunet --batch-size 8 --minutes "$budget" --threads 1 --val-every 500 --seed "$seed" \
        ${BASELINE_ARGS:-} > "$RUNS/baseline.log" 2>&1 &
    local baseline=$!
    train_sdseg sdseg "$budget" --seed "$seed" "$@"
    wait $baseline
}

train_sdseg() {
    # train_sdseg NAME BUDGET [--set KEY=VALUE ...]: the first stage (trained once, its minutes
    # recorded in ae_seconds), then SDSeg in $RUNS/NAME for the budget less those minutes.
    # AE_ARGS: extra first-stage options, e.g. AE_ARGS="--mixed-precision bf16" on a CPU with AMX.
    # Arms started together on a fresh $RUNS share one first stage: the lock makes the others wait for it.
    local name=$1 budget=$2 started=$SECONDS
    shift 2
    export OMP_NUM_THREADS=1
    (
        flock 9
        if [ ! -f "$RUNS/ae/summary.json" ]; then
            $SDSEG train-autoencoder "$DATA" -o "$RUNS/ae" --config "$CONFIG" ${AE_ARGS:-} > "$RUNS/ae.log" 2>&1
            echo $(( SECONDS - started )) > "$RUNS/ae_seconds"
        fi
    ) 9> "$RUNS/ae.lock"
    local left
    left=$(python3 -c "print($budget - $(cat "$RUNS/ae_seconds") / 60)")
    $SDSEG train "$DATA" --first-stage "$RUNS/ae" -o "$RUNS/$name" --config "$CONFIG" \
        --set training.steps=100000 --set training.max_minutes="$left" "$@" > "$RUNS/$name.log" 2>&1
}

train_taef2() {
    # The same SDSeg preset and thread count, the pretrained taef2 as first stage: no first-stage training.
    export OMP_NUM_THREADS=1
    $SDSEG train "$DATA" --first-stage ../shared/weights/taef2 -o "$RUNS/taef2" --config cpu128 \
        --set training.steps="${1:-800}" --set training.val_every=200 --set training.checkpoint_every=200 \
        > "$RUNS/taef2.log" 2>&1
}

score_taef2() {
    export OMP_NUM_THREADS=2
    mkdir -p "$OUT"
    $SDSEG predict "$DATA" --split test -m "$RUNS/taef2" -o "$RUNS/taef2_pred" --no-overlays --batch-size 16 \
        | tee "$RUNS/taef2_predict.log"
    $SDSEG evaluate "$RUNS/taef2_pred" "$DATA" --split test
    cp "$RUNS/taef2_pred/summary.json" "$OUT/taef2_1step_summary.json"
    cp "$RUNS/taef2/summary.json" "$OUT/taef2_training.json"
}

score() {
    score_sdseg
    score_baseline
}

score_sdseg() {
    # THREADS=1 leaves a core to a baseline still training, so scoring never takes its budget. The step counts run
    # one after another, not through `ddim` (side by side), because inference_speed.json times each of them.
    export OMP_NUM_THREADS=${THREADS:-2}
    local run=${RUN:-sdseg}
    mkdir -p "$OUT"
    for steps in 1 10 50; do
        test_dice "$run" "$RUNS/${run}_pred_$steps" "$OUT/sdseg_${steps}step_summary.json" --steps "$steps" \
            | tee "$RUNS/${run}_predict_$steps.log"
    done
    .venv/bin/python - "$RUNS" "$OUT" "$run" <<'PY'
import json, re, sys
runs, out, run = sys.argv[1:]
speed = {s: float(re.search(r"images_per_second\s+([\d.]+)", open(f"{runs}/{run}_predict_{s}.log").read())[1])
         for s in ("1", "10", "50")}
json.dump(speed, open(f"{out}/inference_speed.json", "w"), indent=2)
PY
    $SDSEG stability "$DATA" --split test -m "$RUNS/$run" -o "$RUNS/${run}_stability" --runs 10 --batch-size 16
    cp "$RUNS/${run}_stability/stability.json" "$OUT/sdseg_stability.json"
    cp "$RUNS/ae/summary.json" "$OUT/first_stage_training.json"
    cp "$RUNS/$run/summary.json" "$OUT/sdseg_training.json"
    cp "$RUNS/$run/preset.json" "$OUT/sdseg_preset.json"
}

score_single() {
    # The figures a screen needs, cheaply: single-step test Dice plain and mirrored, one thread by default
    # (a neighbour may still train), every summary named after the arm so several arms share one OUT.
    export OMP_NUM_THREADS=${THREADS:-1}
    local run=${RUN:-sdseg}
    mkdir -p "$OUT"
    test_dice "$run" "$RUNS/${run}_pred_1" "$OUT/${run}_1step_summary.json" > "$RUNS/${run}_pred_1.log"
    test_dice "$run" "$RUNS/${run}_pred_1_mirror" "$OUT/${run}_1step_mirror_summary.json" --mirror \
        > "$RUNS/${run}_pred_1_mirror.log"
    record "$run"
    cp "$RUNS/ae/summary.json" "$OUT/${run}_first_stage_training.json"
}

record() {
    # record NAME...: each run's training summary and whole preset into $OUT, named after the run (a screen's record).
    mkdir -p "$OUT"
    local run
    for run in "$@"; do
        cp "$RUNS/$run/summary.json" "$OUT/${run}_training.json"
        cp "$RUNS/$run/preset.json" "$OUT/${run}_preset.json"
    done
}

arm() {
    # arm NAME BUDGET [--set KEY=VALUE ...]: one arm of a side-by-side comparison, start to end; $RUNS/NAME.done
    # says it has finished (a later step of the same run.sh may wait for it).
    local name=$1
    train_sdseg "$@" > "$RUNS/$name.out" 2>&1 || echo "training stopped with an error ($RUNS/$name.log); scoring its best/" \
        >> "$RUNS/$name.out"
    RUN=$name score_single >> "$RUNS/$name.out" 2>&1
    date > "$RUNS/$name.done"
}

screen() {
    # screen NAME STEPS [--set KEY=VALUE ...]: SDSeg for STEPS steps on the existing first stage $RUNS/ae, one
    # thread; its val curve is compared at equal steps with a deterministic reference's (no test scoring).
    local name=$1 steps=$2
    shift 2
    export OMP_NUM_THREADS=1
    $SDSEG train "$DATA" --first-stage "$RUNS/ae" -o "$RUNS/$name" --config "$CONFIG" --set training.steps="$steps" \
        "$@" > "$RUNS/$name.log" 2>&1
    date > "$RUNS/$name.done"
}

read_screens() {
    # read_screens NAME...: after `screen`s, record them and write $OUT/val_by_step.json, their val at steps 500-3000
    # (STEPS) beside the references in $REFS (space-separated LABEL=RUN, RUN as val_by_step.py takes it).
    record "$@"
    local run curves=()
    for run in "$@"; do curves+=("$run=${RUNS#runs/}/$run"); done
    # shellcheck disable=SC2086  # REFS is a list of words
    STEPS=${STEPS:-500,1000,1500,2000,2500,3000} .venv/bin/python benchmarks/val_by_step.py ${REFS:-} "${curves[@]}" \
        > "$OUT/val_by_step.json"
}

# cpu128's curves at seeds 7 and 6 as it is since the thirty-ninth round (the condition weight at 2).
CPU128_SCREEN_REFS="condition2_seed7=docs/results/polypgen_round37_cpu128_fp32/condition2_seed7_training.json
    condition2_seed6=docs/results/polypgen_round38_cpu128_fp32/condition2_seed6_training.json"

screen_pair() {
    # screen_pair NAME STEPS [--set KEY=VALUE ...]: one change screened as the rounds since the thirty-seventh do, at
    # seeds 7 and 6 side by side (one thread each), then read at equal steps against $REFS (default: cpu128's).
    # AFTER=FILE queues it behind another round (waits for FILE); DONE=FILE is written when it has been read.
    local name=$1 steps=$2
    shift 2
    while [ -n "${AFTER:-}" ] && [ ! -f "$AFTER" ]; do sleep 20; done
    screen "${name}_seed7" "$steps" --seed 7 "$@" &
    screen "${name}_seed6" "$steps" --seed 6 "$@" &
    wait
    REFS=${REFS:-$CPU128_SCREEN_REFS} read_screens "${name}_seed7" "${name}_seed6"
    [ -z "${DONE:-}" ] || date > "$DONE"
}

compare() {
    # compare A B: after two `arm`s, what each round reads: each arm's val (the selection) and test per image at the
    # original size (misses.py, which keeps the predicted area), 10-draw stability, B minus A paired on test, misses,
    # size split and val by step (runs repeat by step, so the curves compare at equal steps whatever the instance's
    # speed) — and the same against recorded cpu128 runs at the same training seeds, in $REF as $REF_A (for A) and
    # $REF_B (for B) (default: the twenty-third round's fgimg pair, seeds 0 and 1; the same run for both when A and B
    # share a seed; REF=none when A and B are their own reference). Waits for both arms' .done files. Two threads in all.
    local a=$1 b=$2 ref=${REF:-docs/results/polypgen_round23_cpu128_fp32}
    local ref_a=${REF_A:-fgimg} ref_b=${REF_B:-fgimg_seed1} r split summaries=() curves=()
    while [ ! -f "$RUNS/$a.done" ] || [ ! -f "$RUNS/$b.done" ]; do sleep 30; done
    export OMP_NUM_THREADS=1
    for split in val test; do
        for r in "$a" "$b"; do
            .venv/bin/python benchmarks/misses.py "$RUNS/$r/best" --data "$DATA" --split $split \
                -o "$OUT/${r}_${split}_misses.json" > /dev/null &
        done
        wait
    done
    D=$OUT bash benchmarks/stability_runs.sh "${RUNS#runs/}/$a" "${RUNS#runs/}/$b"
    .venv/bin/python benchmarks/paired_dice.py "$OUT/${a}_1step_summary.json" "$OUT/${b}_1step_summary.json" \
        -o "$OUT/paired_${b}_minus_$a.json"
    if [ "$ref" != none ]; then
        .venv/bin/python benchmarks/paired_dice.py "$ref/${ref_a}_1step_summary.json" "$OUT/${a}_1step_summary.json" \
            -o "$OUT/paired_${a}_minus_$ref_a.json"
        .venv/bin/python benchmarks/paired_dice.py "$ref/${ref_b}_1step_summary.json" "$OUT/${b}_1step_summary.json" \
            -o "$OUT/paired_${b}_minus_$ref_b.json"
        summaries=("$ref/${ref_a}_1step_summary.json" "$ref/${ref_b}_1step_summary.json")
        curves=("cpu128 $ref_a=$ref/${ref_a}_training.json" "cpu128 $ref_b=$ref/${ref_b}_training.json")
    fi
    summaries+=("$OUT/${a}_1step_summary.json" "$OUT/${b}_1step_summary.json")
    curves+=("$a=${RUNS#runs/}/$a" "$b=${RUNS#runs/}/$b")
    .venv/bin/python benchmarks/summary_misses.py "${summaries[@]}" > "$OUT/misses.json"
    .venv/bin/python benchmarks/size_split.py "${summaries[@]}" > "$OUT/size_split.json"
    STEPS=${STEPS:-500,1000,1500,2000,2500,3000} .venv/bin/python benchmarks/val_by_step.py "${curves[@]}" \
        > "$OUT/val_by_step.json"
}

pair() {
    # pair NAME SEED [--set KEY=VALUE ...]: the rounds' 90-minute confirmation of one change: ref_seedSEED (cpu128 as
    # committed) and NAME_seedSEED side by side, one thread each, on the first stage $RUNS/ae (its minutes, from
    # $RUNS/ae_seconds, charged to both budgets); then `compare` (each other as reference) and presence.py on both.
    local name=$1 seed=$2 arm
    shift 2
    local ref=ref_seed$seed new=${name}_seed$seed
    arm "$ref" 90 --seed "$seed" &
    arm "$new" 90 --seed "$seed" "$@" &
    wait
    REF=none STEPS=${STEPS:-1000,2000,3000,4000,5000,6000,7000,8000,9000} compare "$ref" "$new"
    for arm in "$ref" "$new"; do
        OMP_NUM_THREADS=1 .venv/bin/python benchmarks/presence.py "$RUNS/$arm/best" --data "$DATA" \
            -o "$OUT/${arm}_presence.json" > /dev/null 2>&1 &
    done
    wait
}

ddim() {
    # ddim STEPS NAME...: each arm's test Dice with DDIM-STEPS, into $OUT/NAME_STEPSstep_summary.json; one thread
    # per arm, all at once.
    local steps=$1 run
    shift
    export OMP_NUM_THREADS=1
    for run in "$@"; do
        test_dice "$run" "$RUNS/${run}_pred_$steps" "$OUT/${run}_${steps}step_summary.json" --steps "$steps" \
            > "$RUNS/${run}_pred_$steps.log" 2>&1 &
    done
    wait
}

test_dice() {
    # test_dice RUN PRED SUMMARY [predict options]: predict the test split with $RUNS/RUN into PRED,
    # evaluate it, copy its summary.json to SUMMARY.
    local run=$1 pred=$2 summary=$3
    shift 3
    $SDSEG predict "$DATA" --split test -m "$RUNS/$run" -o "$pred" --no-overlays --batch-size 16 "$@"
    $SDSEG evaluate "$pred" "$DATA" --split test
    cp "$pred/summary.json" "$summary"
}

score_baseline() {
    export OMP_NUM_THREADS=${THREADS:-2}
    mkdir -p "$OUT"
    $SDSEG evaluate "$RUNS/baseline/predictions" "$DATA" --split test
    cp "$RUNS/baseline/predictions/summary.json" "$OUT/baseline_summary.json"
    cp "$RUNS/baseline/baseline.json" "$OUT/baseline_training.json"
}

"$@"
# every subcommand leaves its records in $OUT: the large ones stored compact (benchmarks/compact_records.py)
[ ! -d "$OUT" ] || .venv/bin/python benchmarks/compact_records.py "$OUT"
