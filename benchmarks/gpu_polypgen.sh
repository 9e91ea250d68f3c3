#!/usr/bin/env bash
# Issue 10's GPU check: the `small` preset's recipe at 256² on PolypGen within a training-time budget,
# as one script for the device machine (whose image has torch and accelerate but not diffusers).
# Run it on the CPU first with tiny budgets; it is the same script on both.
#
#   bash benchmarks/gpu_polypgen.sh prepare                  # here: data + wheels into gpu_carry/ (ignored)
#   bash benchmarks/gpu_polypgen.sh run OUT [AE_MIN] [SDSEG_MIN] [CONFIG]   # on the device (or the CPU)
#
# `run` installs the carried wheels and sdseg without touching the machine's torch, trains the first
# stage for AE_MIN minutes and SDSeg for SDSEG_MIN (bf16 on a GPU), predicts the test split with one
# step, evaluates it, and leaves every summary under OUT (the device tool's $OUT).
set -euo pipefail
CARRY=gpu_carry

prepare() {
    mkdir -p "$CARRY/wheels"
    rm -rf "$CARRY/polypgen" && cp -r ../shared/data/polypgen "$CARRY/polypgen"
    .venv/bin/pip download --no-deps -d "$CARRY/wheels" diffusers importlib_metadata zipp safetensors
    du -sh "$CARRY"
}

run() {
    local out=$1 ae_min=${2:-1.5} sdseg_min=${3:-8} config=${4:-small}
    local py=python3 data="$CARRY/polypgen" precision=no
    if [ -x .venv/bin/python ]; then py=.venv/bin/python; fi
    if $py -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)"; then
        precision=bf16
        $py -m pip install -q --no-deps "$CARRY"/wheels/*.whl
        $py -m pip install -q --no-deps --no-build-isolation -e . || $py -m pip install -q --no-deps -e .
    fi
    mkdir -p "$out"
    nvidia-smi --query-gpu=name,memory.total --format=csv > "$out/machine.txt" 2>/dev/null || nproc > "$out/machine.txt"
    local runs=runs/gpu_polypgen
    $py -m sdseg.cli.main train-autoencoder "$data" -o "$runs/ae" --config "$config" --mixed-precision "$precision" \
        --set autoencoder_training.steps=100000 --set autoencoder_training.max_minutes="$ae_min" \
        --set autoencoder_training.val_every=500 > "$out/ae.log" 2>&1
    $py -m sdseg.cli.main train "$data" --first-stage "$runs/ae" -o "$runs/sdseg" --config "$config" \
        --mixed-precision "$precision" --set training.steps=100000 --set training.max_minutes="$sdseg_min" \
        --set training.val_every=500 > "$out/sdseg.log" 2>&1
    $py -m sdseg.cli.main predict "$data" --split test -m "$runs/sdseg" -o "$runs/pred" --no-overlays \
        --batch-size 32 > "$out/predict.log" 2>&1
    $py -m sdseg.cli.main evaluate "$runs/pred" "$data" --split test > "$out/evaluate.log" 2>&1
    cp "$runs/ae/summary.json" "$out/first_stage_training.json"
    cp "$runs/sdseg/summary.json" "$out/sdseg_training.json"
    cp "$runs/pred/summary.json" "$out/sdseg_1step_summary.json"
    $py - "$out" <<'PY'
import json, sys
out = sys.argv[1]
summary, training = (json.load(open(f"{out}/{n}.json")) for n in ("sdseg_1step_summary", "sdseg_training"))
print(json.dumps({"test_dice_1step": summary["foreground_mean"]["dice"], "steps": training["steps"],
                  "best_val": training["best_val_dice_single_step"]}, indent=2))
PY
}

"$@"
