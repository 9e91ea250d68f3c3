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

import torch
from torch.utils.data import DataLoader

from sdseg.data.folder_dataset import SegmentationFolder, discover_cases, load_splits
from sdseg.data.image_io import read_mask
from sdseg.inference.predictor import ImageFiles
from sdseg.models import SDSegModel
from sdseg.training.loop import mean_dice
from sdseg.training.sdseg_trainer import validation_dice


@torch.no_grad()
def logits(model: SDSegModel, paths: list[Path], batch_size: int = 16) -> torch.Tensor:
    images = ImageFiles(paths, model.config.image_size, list(range(len(paths))))
    rows = []
    for batch in DataLoader(images, batch_size=batch_size):
        if any(batch["error"]):
            raise SystemExit(next(error for error in batch["error"] if error))
        rows.append(model.denoiser.presence_logit(model.denoiser.condition(batch["image"])))
    return torch.cat(rows)


def dice_without_head(model: SDSegModel, dataset: SegmentationFolder, batch_size: int = 32) -> float:
    """``validation_dice`` with the masks as sampled, the head's verdicts ignored."""

    def ungated(batch: dict, first_index: int) -> torch.Tensor:
        seeds = list(range(first_index, first_index + len(batch["image"])))
        c = model.denoiser.condition(batch["image"])
        return model.decode_probabilities(model.sample_latents(c, model.initial_noise(seeds)))

    return mean_dice(model.denoiser, dataset, ungated, batch_size)


def auc(score: torch.Tensor, positive: torch.Tensor) -> float:
    """P(a positive's score > a negative's), ties counting half."""
    pos, neg = score[positive], score[~positive]
    return float(((pos[:, None] > neg[None]).float() + 0.5 * (pos[:, None] == neg[None]).float()).mean())


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
    cases = discover_cases(args.data)
    splits = load_splits(args.data, list(cases), 0)
    result = {"model": str(args.model)}
    for split in args.splits:
        names = splits[split]
        polyp = torch.tensor([bool(read_mask(cases[n].mask).any()) for n in names])
        score = logits(model, [cases[n].image for n in names])
        called_empty = score < 0
        result[split] = {"images": len(names), "polyp_free": int((~polyp).sum()),
                         "polyp_free_called_empty": int((called_empty & ~polyp).sum()),
                         "polyp_called_empty": int((called_empty & polyp).sum()),
                         "auc": round(auc(score, polyp), 4)}
        dataset = SegmentationFolder(args.data, split, model.config.image_size)
        result[split]["dice_with_head"] = round(validation_dice(model, dataset, 32), 4)
        result[split]["dice_without_head"] = round(dice_without_head(model, dataset), 4)
    print(json.dumps(result, indent=2))
    args.output.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
