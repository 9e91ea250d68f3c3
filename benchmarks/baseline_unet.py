"""A plain supervised UNet baseline for PolypGen-style 2D datasets (issue 3's "baseline to beat").

A diffusers ``UNet2DModel`` used as a segmenter (timestep fixed at 0, one logit channel),
trained with Dice + BCE on the same dataset split and image size as SDSeg, for a fixed
wall-clock budget, selected on validation Dice, and written as 0/1 PNG masks at each test
image's original size so that ``sdseg evaluate`` scores it exactly like SDSeg:

    python benchmarks/baseline_unet.py ../shared/data/polypgen -o runs/baseline \\
        --image-size 128 --minutes 90 --threads 1
    sdseg evaluate runs/baseline/predictions ../shared/data/polypgen --split test
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from diffusers import UNet2DModel
from torch.utils.data import DataLoader
from tqdm.auto import tqdm

from sdseg.cli.paths import input_images
from sdseg.data.augmentation import random_flips
from sdseg.data.folder_dataset import SegmentationFolder
from sdseg.inference.predictor import ImageFiles, to_original_size
from sdseg.data.image_io import write_png
from sdseg.io_utils import write_json
from sdseg.training.loop import mean_dice


def build_segmenter(image_size: int) -> UNet2DModel:
    """A four-level convolutional UNet with attention only at the coarsest level.

    Widths 16..128 keep a step on one CPU thread near a second at 128² (32..256 with two
    blocks per level took ten times longer and would see a tenth of the data in the budget).
    """
    return UNet2DModel(
        sample_size=image_size, in_channels=3, out_channels=1, block_out_channels=(16, 32, 64, 128),
        layers_per_block=1, norm_num_groups=8,
        down_block_types=("DownBlock2D", "DownBlock2D", "DownBlock2D", "AttnDownBlock2D"),
        up_block_types=("AttnUpBlock2D", "UpBlock2D", "UpBlock2D", "UpBlock2D"),
    )


def logits(model: UNet2DModel, image: torch.Tensor) -> torch.Tensor:
    return model(image, torch.zeros(len(image), dtype=torch.long)).sample


def dice_bce(logit: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """BCE plus soft Dice over each image, the usual supervised segmentation loss."""
    probability = logit.sigmoid()
    overlap = (probability * target).sum((1, 2, 3))
    soft_dice = (2 * overlap + 1) / (probability.sum((1, 2, 3)) + target.sum((1, 2, 3)) + 1)
    return F.binary_cross_entropy_with_logits(logit, target) + (1 - soft_dice).mean()


def train(args: argparse.Namespace) -> tuple[UNet2DModel, dict]:
    torch.manual_seed(args.seed)
    train_set = SegmentationFolder(args.data, "train", args.image_size, args.seed)
    val_set = SegmentationFolder(args.data, "val", args.image_size, args.seed)
    loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True, drop_last=True,
                        num_workers=args.num_workers, persistent_workers=args.num_workers > 0)
    model = build_segmenter(args.image_size)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    predict = lambda batch, _first: logits(model, batch["image"]).sigmoid()  # noqa: E731
    budget, started = args.minutes * 60, time.perf_counter()
    best, best_state, history, step = -1.0, None, [], 0
    bar = tqdm(desc="baseline", unit="step")
    while time.perf_counter() - started < budget:
        for batch in loader:
            batch = random_flips(batch)
            target = (batch["mask"] > 0).float()  # masks arrive in [-1, 1]
            loss = dice_bce(logits(model, batch["image"]), target)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            step += 1
            bar.update(1)
            bar.set_postfix(loss=f"{loss.item():.4f}")
            out_of_time = time.perf_counter() - started >= budget
            if step % args.val_every == 0 or out_of_time:
                score = mean_dice(model, val_set, predict, args.batch_size)
                history.append({"step": step, "minutes": (time.perf_counter() - started) / 60, "val_dice": score})
                bar.write(f"step {step}: val Dice {score:.4f}")
                if score > best:
                    best, best_state = score, {k: v.clone() for k, v in model.state_dict().items()}
            if out_of_time:
                break
    bar.close()
    model.load_state_dict(best_state)
    parameters = sum(p.numel() for p in model.parameters())
    return model.eval(), {"steps": step, "train_seconds": time.perf_counter() - started,
                          "best_val_dice": best, "parameters": parameters, "history": history}


@torch.inference_mode()
def predict_split(model: UNet2DModel, args: argparse.Namespace) -> dict:
    paths = input_images([str(args.data)], "test", args.seed)
    output = Path(args.output) / "predictions"
    started = time.perf_counter()
    for batch in DataLoader(ImageFiles(paths, args.image_size), batch_size=args.batch_size):
        probability = logits(model, batch["image"]).sigmoid()
        for p, i, h, w in zip(probability, batch["index"].tolist(), batch["height"].tolist(), batch["width"].tolist()):
            write_png(output / f"{paths[i].stem}.png", (to_original_size(p, h, w)[0] > 0.5).numpy().astype("uint8"))
    seconds = time.perf_counter() - started
    return {"test_images": len(paths), "images_per_second": len(paths) / seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", help="dataset folder with images/, masks/ and splits.json")
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--image-size", type=int, default=128)
    parser.add_argument("--minutes", type=float, required=True, help="wall-clock training budget")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--val-every", type=int, default=500)
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's)")
    parser.add_argument("--num-workers", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    model, report = train(args)
    report.update(predict_split(model, args), image_size=args.image_size, threads=torch.get_num_threads(),
                  command_args=vars(args))
    write_json(Path(args.output) / "baseline.json", report)
    print(json.dumps({k: v for k, v in report.items() if k != "history"}, indent=2))


if __name__ == "__main__":
    main()
