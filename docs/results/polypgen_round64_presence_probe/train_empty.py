"""Are the false alarms a failure to generalise? Each model's single-step prediction (seeded as `predict`) on the
polyp-free training images it was trained on: how many it leaves empty, against val and test (round 63's files).

    OMP_NUM_THREADS=1 .venv/bin/python docs/results/polypgen_round64_presence_probe/train_empty.py > train_empty.json
"""

import json
import sys
from pathlib import Path

import torch

from sdseg.data.folder_dataset import discover_cases, load_splits
from sdseg.data.image_io import read_mask
from sdseg.inference.engine import InferenceSettings
from sdseg.inference.predictor import iter_probabilities
from sdseg.models import SDSegModel

DATA, RUNS = "../shared/data/polypgen", Path("runs/pg51")
ROUND63 = Path("docs/results/polypgen_round63_presence")
cases = discover_cases(DATA)
train = load_splits(DATA, list(cases), 0)["train"]
empty = [n for n in train if not read_mask(cases[n].mask).any()]
result = {"train_polyp_free_images": len(empty)}
for seed in (12, 13, 14):
    model = SDSegModel.from_pretrained(RUNS / f"ref_seed{seed}/best")
    paths = [cases[n].image for n in empty]
    with torch.no_grad():
        alarms = sum(bool((p > 0.5).any()) for _, p in iter_probabilities(model, paths, InferenceSettings.of_model(model)))
    rounds63 = json.loads((ROUND63 / f"ref_seed{seed}_presence.json").read_text())["per_image"]
    result[f"seed{seed}"] = {"train_false_alarms": alarms, **{
        f"{split}_false_alarms": f"{sum(r['foreground_fraction'] == 0 and r['dice'] == 0 for r in rows)} of "
                                 f"{sum(r['foreground_fraction'] == 0 for r in rows)}" for split, rows in rounds63.items()}}
    print(seed, result[f"seed{seed}"], file=sys.stderr)
print(json.dumps(result, indent=1))
