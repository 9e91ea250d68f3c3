"""How a model's own presence head (``vision_encoder.presence_head``) sorts images: for each split, how many images
with and without foreground it calls empty (logit < 0, what prediction uses) and its AUC, polyp against polyp-free.
A head that never calls an image empty changes no mask; one that empties polyp images costs their whole Dice.
Also each split's Dice at the model's size with the head's verdicts and without them (the masks as sampled), which
tells what the gate does from what training with the head did to the masks themselves.

    python benchmarks/presence_head.py runs/pg51/pres_seed7/best --data ../shared/data/polypgen -o head.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch
from torch.utils.data import DataLoader
from torchmetrics.functional.classification import binary_auroc

from sdseg.data.folder_dataset import SegmentationFolder
from sdseg.evaluation.metrics import dice
from sdseg.models import SDSegModel


@torch.no_grad()
def read_split(model: SDSegModel, dataset: SegmentationFolder, batch_size: int = 32) -> dict[str, torch.Tensor]:
    """One pass over a split at the model's size, seeded as validation is (case i uses seed i): each image's
    presence logit, whether its mask holds foreground, and its Dice with the head's verdict and without it."""
    rows = {"logit": [], "polyp": [], "dice_with_head": [], "dice_without_head": []}
    first = 0
    for batch in DataLoader(dataset, batch_size=batch_size):
        c = model.denoiser.condition(batch["image"])
        logit = model.denoiser.presence_logit(c)
        seeds = list(range(first, first + len(c)))
        ungated = model.decode_probabilities(model.sample_latents(c, model.initial_noise(seeds)))
        gated = ungated * (logit >= 0).view(-1, 1, 1, 1)  # as predict_proba applies the head
        target = batch["mask"][:, 0].numpy() > 0.5
        for key, probability in (("dice_with_head", gated), ("dice_without_head", ungated)):
            rows[key] += [dice(p[0] > 0.5, t) for p, t in zip(probability.numpy(), target)]
        rows["logit"].append(logit)
        rows["polyp"] += [bool(t.any()) for t in target]
        first += len(c)
    return {"logit": torch.cat(rows["logit"]), "polyp": torch.tensor(rows["polyp"]),
            **{k: torch.tensor(np.mean(rows[k])) for k in ("dice_with_head", "dice_without_head")}}


def auc(score: torch.Tensor, positive: torch.Tensor) -> float:
    """P(a positive's score > a negative's), ties counting half: torchmetrics' ROC AUC, given the scores mapped
    into [0, 1] in float64 so that it takes them as probabilities and does not squash large ones together
    through a sigmoid."""
    score = score.double()
    spread = (score.max() - score.min()).clamp_min(torch.finfo(score.dtype).tiny)
    return float(binary_auroc((score - score.min()) / spread, positive.long()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", type=Path, help="a model folder whose vision encoder has a presence head")
    parser.add_argument("--data", required=True)
    parser.add_argument("--splits", nargs="+", default=["val", "test"])
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    model = SDSegModel.from_pretrained(args.model)
    if not model.denoiser.has_presence_head:
        raise SystemExit(f"{args.model}: its vision encoder has no presence head")
    result = {"model": str(args.model)}
    for split in args.splits:
        read = read_split(model, SegmentationFolder(args.data, split, model.config.image_size))
        polyp, called_empty = read["polyp"], read["logit"] < 0
        result[split] = {"images": len(polyp), "polyp_free": int((~polyp).sum()),
                         "polyp_free_called_empty": int((called_empty & ~polyp).sum()),
                         "polyp_called_empty": int((called_empty & polyp).sum()),
                         "auc": round(auc(read["logit"], polyp), 4),
                         "dice_with_head": round(float(read["dice_with_head"]), 4),
                         "dice_without_head": round(float(read["dice_without_head"]), 4)}
    print(json.dumps(result, indent=2))
    args.output.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
