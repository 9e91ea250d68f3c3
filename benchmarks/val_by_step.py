"""Val Dice by training step of several runs, from the history in each run's summary.json (rounded to the 4 digits the
training log prints), so that arms of a comparison are read at equal steps: runs repeat by step at a fixed seed.

STEPS=500,1000,1500,2000 python benchmarks/val_by_step.py "cpu128 seed 0=pg34/ref" "arm seed 0=pg34/arm" > OUT.json

Each argument is LABEL=RUN, RUN a training folder relative to runs/ or, ending in .json, a recorded summary (e.g.
docs/results/…/NAME_training.json) for a reference whose runs/ folder is gone. STEPS defaults to 500,1000. Runs
trained since 2cac9dd also record the training seconds at each step.
"""
import json, os, sys
from pathlib import Path
if len(sys.argv) < 2:
    sys.exit(__doc__)
arms = dict(arg.split("=", 1) for arg in sys.argv[1:])
steps = [int(s) for s in os.environ.get("STEPS", "500,1000").split(",")]
out = {"what": f"val Dice (128², single step) at steps {steps}, from each run's summary.json (seconds: the history's "
               f"own, where recorded)"}
for name, rel in arms.items():
    run = rel if rel.endswith(".json") else f"runs/{rel}"
    summary = Path(run) if rel.endswith(".json") else Path(run, "summary.json")
    history = [h for h in json.loads(summary.read_text())["history"] if h["step"] in steps]
    out[name] = {"run": run, "val_dice": {str(h["step"]): round(h["val_dice"], 4) for h in history}}
    if all("seconds" in h for h in history):
        out[name]["seconds"] = {str(h["step"]): h["seconds"] for h in history}
print(json.dumps(out, indent=2))
