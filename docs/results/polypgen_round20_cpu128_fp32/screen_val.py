"""Val Dice at steps 500 and 1000 of the twentieth round's screens and their references, from the history in each
run's summary.json (rounded to the 4 digits the training log prints).

python docs/results/polypgen_round20_cpu128_fp32/screen_val.py > docs/results/polypgen_round20_cpu128_fp32/screen_val.json

A later round passes its own arms as LABEL=RUN pairs (RUN: a training folder relative to runs/):
python docs/results/polypgen_round20_cpu128_fp32/screen_val.py "ref=pg30/ref" "clip4=pg30/clip4_1000" > OUT.json
and STEPS=500,1000,1500,2000 for other steps. Runs trained since 2cac9dd also record the training seconds at each step.
A RUN ending in .json is a recorded summary (e.g. docs/results/…/NAME_training.json), for a reference whose runs/ folder
is gone: the runs repeat by step, so a fresh checkout compares against the record.
"""
import json, os, sys
from pathlib import Path
arms = {"ref (cpu128, seed 0; the 90-minute arm)": "pg29/ref", "q16 (UNet 16·[1,2,4], seed 0)": "pg29/q16_1000",
        "noattn (UNet without attention, seed 0)": "pg29/noattn_1000",
        "cpu128 seed 1 (nineteenth round's u32x12_seed1_1000)": "pg28/u32x12_seed1_1000",
        "noattn seed 1": "pg29/noattn_seed1_1000",
        "cpu128 seed 2 (nineteenth round's u32x12_seed2_1000)": "pg28/u32x12_seed2_1000",
        "noattn seed 2": "pg29/noattn_seed2_1000"}
if len(sys.argv) > 1:
    arms = dict(arg.split("=", 1) for arg in sys.argv[1:])
steps = [int(s) for s in os.environ.get("STEPS", "500,1000").split(",")]
out = {"what": f"val Dice (128², single step) at steps {steps}, from each run's summary.json (seconds: elapsed.json, "
               f"or the history's own)"}
for name, rel in arms.items():
    run = rel if rel.endswith(".json") else f"runs/{rel}"
    summary = Path(run) if rel.endswith(".json") else Path(run, "summary.json")
    history = [h for h in json.loads(summary.read_text())["history"] if h["step"] in steps]
    out[name] = {"run": run, "val_dice": {str(h["step"]): round(h["val_dice"], 4) for h in history}}
    if all("seconds" in h for h in history):
        out[name]["seconds"] = {str(h["step"]): h["seconds"] for h in history}
print(json.dumps(out, indent=2))
