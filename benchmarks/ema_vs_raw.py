"""How much does the EMA give? Validation Dice of a finished run's EMA weights (``last/``) against the raw
weights of its final checkpoint, single step, same noise seed.

A large gap says the raw iterate is noisy at the run's learning rate (an annealed rate or a longer EMA may
pay); none says the EMA only lags.

    python benchmarks/ema_vs_raw.py runs/pg12/wide_final75 --data ../shared/data/polypgen -o ema_vs_raw.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch
from safetensors.torch import load_file

from sdseg.data.folder_dataset import SegmentationFolder
from sdseg.models import SDSegModel
from sdseg.training.sdseg_trainer import validation_dice


def ema_vs_raw(run: Path, data: str, batch_size: int = 32) -> dict:
    model = SDSegModel.from_pretrained(run / "last").eval()
    val = SegmentationFolder(data, "val", model.config.image_size)
    scores = {}
    for name in ("ema", "raw"):
        if name == "raw":
            model.denoiser.load_state_dict(load_file(run / "checkpoint" / "model.safetensors"))
        torch.manual_seed(0)
        scores[f"val_dice_{name}"] = validation_dice(model, val, batch_size)
    return {"run": str(run), **scores}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run", type=Path, help="a finished sdseg train run folder (last/, checkpoint/)")
    parser.add_argument("--data", required=True)
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args()
    result = json.dumps(ema_vs_raw(args.run, args.data), indent=2)
    print(result)
    if args.output:
        args.output.write_text(result + "\n")


if __name__ == "__main__":
    main()
