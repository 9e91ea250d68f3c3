"""A plain supervised UNet baseline for PolypGen-style 2D datasets (the "baseline to beat").

A segmenter -- diffusers ``UNet2DModel`` (timestep fixed at 0) or MONAI's ``BasicUNet``, one
logit channel -- trained with Dice + BCE on the same split, image size and augmentation as
SDSeg (both read from the same preset), for a fixed wall-clock budget, selected on validation
Dice, and written as 0/1 PNG masks at each test image's original size so that ``sdseg
evaluate`` scores it exactly like SDSeg:

    python benchmarks/baseline_unet.py ../shared/data/polypgen -o runs/baseline \\
        --config cpu128 --network basicunet --minutes 90 --threads 1
    sdseg evaluate runs/baseline/predictions ../shared/data/polypgen --split test

The selected weights are kept (``model.safetensors``), so a trained baseline can be scored again,
e.g. with test-time mirroring as ``sdseg predict --mirror`` does it:

    python benchmarks/baseline_unet.py ../shared/data/polypgen -o runs/baseline_mirror \
        --weights runs/baseline/model.safetensors --mirror
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from diffusers import UNet2DModel
from safetensors.torch import load_file, save_file
from torch.utils.data import DataLoader
from tqdm.auto import tqdm

from sdseg.allocator import keep_freed_memory
from sdseg.cli.paths import input_images
from sdseg.config import TrainingConfig, load_preset
from sdseg.data.augmentation import augment
from sdseg.data.folder_dataset import SegmentationFolder
from sdseg.data.image_io import write_png
from sdseg.data.input_check import check_images
from sdseg.data.splits import Partition
from sdseg.inference.engine import InferenceSettings, mirrored
from sdseg.inference.predictor import stream_soft_masks
from sdseg.io_utils import atomic_path, write_json
from sdseg.models import TinyEncoder, load_autoencoder
from sdseg.models.taef2 import TinyBlock
from sdseg.training.loop import mean_dice


class DiffusersSegmenter(torch.nn.Module):
    """A four-level ``UNet2DModel`` with attention only at the coarsest level, timestep fixed at 0.

    Widths 16..128 keep a step on one CPU thread near a second at 128² (32..256 with two
    blocks per level took ten times longer and would see a tenth of the data in the budget).
    """

    def __init__(self):
        super().__init__()
        self.unet = UNet2DModel(
            in_channels=3, out_channels=1, block_out_channels=(16, 32, 64, 128),
            layers_per_block=1, norm_num_groups=8,
            down_block_types=("DownBlock2D", "DownBlock2D", "DownBlock2D", "AttnDownBlock2D"),
            up_block_types=("AttnUpBlock2D", "UpBlock2D", "UpBlock2D", "UpBlock2D"),
        )

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return self.unet(image, torch.zeros(len(image), dtype=torch.long, device=image.device)).sample


def monai_basic_unet() -> torch.nn.Module:
    """MONAI's ``BasicUNet`` (features 32..256, instance norm), the field's plain reference UNet."""
    from monai.networks.nets import BasicUNet

    return BasicUNet(spatial_dims=2, in_channels=3, out_channels=1)


class TinyEncoderUNet(torch.nn.Module):
    """taef2's encoder (pretrained with ``--encoder-init``) under a UNet decoder over its four levels.

    The supervised counterpart of SDSeg with ``--vision-encoder-init`` taef2: the same pretrained
    image features, so a comparison measures the method, not the initialisation.
    """

    def __init__(self, width: int = 64):
        super().__init__()
        self.encoder = TinyEncoder()  # taef2's architecture: 64 channels at 1, 1/2, 1/4 and 1/8 of the size
        self.level_ends = [i for i, layer in enumerate(self.encoder.layers) if isinstance(layer, TinyBlock)
                           and not isinstance(self.encoder.layers[i + 1], TinyBlock)]
        self.decoder = torch.nn.ModuleList(torch.nn.Sequential(
            torch.nn.Conv2d(2 * width, width, 3, padding=1), torch.nn.GroupNorm(8, width), torch.nn.ReLU(),
            torch.nn.Conv2d(width, width, 3, padding=1), torch.nn.GroupNorm(8, width), torch.nn.ReLU(),
        ) for _ in self.level_ends[1:])
        self.head = torch.nn.Conv2d(width, 1, 1)

    def load_encoder(self, path: str) -> None:
        """Take the encoder of the autoencoder at ``path`` (e.g. the taef2 folder); its output conv is not used."""
        self.encoder.load_state_dict(load_autoencoder(path).encoder.state_dict())

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        x, skips = image.add(1).div(2), []
        for i, layer in enumerate(self.encoder.layers[: self.level_ends[-1] + 1]):
            x = layer(x)
            if i in self.level_ends:
                skips.append(x)
        x = skips.pop()
        for stage in self.decoder:
            x = stage(torch.cat([F.interpolate(x, scale_factor=2.0, mode="nearest"), skips.pop()], dim=1))
        return self.head(x)


NETWORKS = {"unet2d": DiffusersSegmenter, "basicunet": monai_basic_unet, "taef2unet": TinyEncoderUNet}


def dice_bce(logit: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """BCE plus soft Dice over each image, the usual supervised segmentation loss."""
    probability = logit.sigmoid()
    overlap = (probability * target).sum((1, 2, 3))
    soft_dice = (2 * overlap + 1) / (probability.sum((1, 2, 3)) + target.sum((1, 2, 3)) + 1)
    return F.binary_cross_entropy_with_logits(logit, target) + (1 - soft_dice).mean()


def train(args: argparse.Namespace, training: TrainingConfig) -> tuple[torch.nn.Module, dict]:
    torch.manual_seed(args.seed)
    train_set = SegmentationFolder(args.data, "train", args.image_size, Partition(args.seed))
    val_set = SegmentationFolder(args.data, "val", args.image_size, Partition(args.seed))
    loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True, drop_last=True,
                        num_workers=args.num_workers, persistent_workers=args.num_workers > 0)
    layout = training.memory_format
    model = NETWORKS[args.network]()
    if args.encoder_init:
        model.load_encoder(args.encoder_init)
    model = model.to(memory_format=layout)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    predict = lambda batch, _first: model(batch["image"]).sigmoid()  # noqa: E731
    budget, started = args.minutes * 60, time.perf_counter()
    best, best_state, history, step = -1.0, None, [], 0
    bar = tqdm(desc="baseline", unit="step")
    while time.perf_counter() - started < budget:
        for batch in loader:
            batch = augment(batch, args.augmentation)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=training.mixed_precision == "bf16"):
                logit = model(batch["image"].contiguous(memory_format=layout))
            loss = dice_bce(logit.float(), (batch["mask"] > 0.5).float())  # masks are 0/1
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


def predict_split(model: torch.nn.Module, args: argparse.Namespace) -> dict:
    paths = input_images([str(args.data)], "test", Partition(args.seed))
    check_images(paths)
    output = Path(args.output) / "predictions"
    started = time.perf_counter()
    soft_masks = stream_soft_masks(lambda image, _indices: mirrored(lambda x: model(x).sigmoid(), image, args.mirror),
                                   paths, args.image_size, InferenceSettings(batch_size=args.batch_size))
    for i, probability in soft_masks:
        write_png(output / f"{paths[i].stem}.png", (probability[0] > 0.5).numpy().astype("uint8"))
    seconds = time.perf_counter() - started
    return {"test_images": len(paths), "images_per_second": len(paths) / seconds, "mirror": args.mirror}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", help="dataset folder with images/, masks/ and splits.json")
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--config", default="cpu128", help="SDSeg preset whose image size and augmentation to use")
    parser.add_argument("--set", action="append", default=[], help="a preset override, as for sdseg train")
    parser.add_argument("--network", choices=sorted(NETWORKS), default="basicunet")
    parser.add_argument("--encoder-init", help="taef2unet: start its encoder from this autoencoder's (e.g. the taef2 "
                        "folder), as SDSeg's --vision-encoder-init does")
    parser.add_argument("--minutes", type=float, help="wall-clock training budget (required unless --weights)")
    parser.add_argument("--weights", help="a trained baseline's model.safetensors: no training, only the test predictions")
    parser.add_argument("--mirror", action="store_true", help="test-time mirroring of the test predictions")
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--val-every", type=int, default=500)
    parser.add_argument("--mixed-precision", choices=("no", "bf16"), default=None,
                        help="bf16 autocast for training steps (validation and test stay fp32), as sdseg train's "
                             "(default: the preset's training.mixed_precision)")
    parser.add_argument("--channels-last", action="store_true",
                        help="channels-last model and images (or the preset's training.channels_last)")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's)")
    parser.add_argument("--num-workers", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if (args.minutes is None) == (args.weights is None):
        parser.error("give either --minutes (train) or --weights (score a trained baseline)")
    if args.encoder_init and (args.network != "taef2unet" or args.weights):
        parser.error("--encoder-init starts the taef2unet network's training; not with another network or --weights")
    preset = load_preset(args.config, args.set)
    args.image_size, args.augmentation = preset.image_size, preset.augmentation
    training = preset.training  # the flags override the preset's keys, so --set training.* works as for sdseg train
    training.mixed_precision = args.mixed_precision or training.mixed_precision
    training.channels_last = args.channels_last or training.channels_last
    if args.threads:
        torch.set_num_threads(args.threads)
    keep_freed_memory()  # as sdseg's own commands do, so both sides of a comparison get it
    if args.weights:
        model = NETWORKS[args.network]()
        model.load_state_dict(load_file(args.weights))
        model, report = model.eval(), {"weights": str(Path(args.weights).resolve())}
    else:
        model, report = train(args, training)
        with atomic_path(Path(args.output) / "model.safetensors") as weights:
            # channels-last weights are not contiguous, which safetensors refuses
            save_file({k: v.contiguous() for k, v in model.state_dict().items()}, weights)
    if not args.weights:  # how it trained; a re-scored model did not train here
        report.update(mixed_precision=training.mixed_precision, channels_last=training.channels_last)
    report.update(predict_split(model, args), image_size=args.image_size, threads=torch.get_num_threads(),
                  network=args.network, command_args={**vars(args), "augmentation": vars(args.augmentation)})
    write_json(Path(args.output) / "baseline.json", report)
    print(json.dumps({k: v for k, v in report.items() if k != "history"}, indent=2))


if __name__ == "__main__":
    main()
