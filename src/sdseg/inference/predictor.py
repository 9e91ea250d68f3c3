"""``sdseg predict``: stream images through a trained model and write masks and overlays.

Each input gets its own noise seed (``seed + its index in the sorted input list``), so
a mask never depends on the batch size or on which other images were predicted with it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset
from tqdm.auto import tqdm

from ..data.folder_dataset import image_to_tensor
from ..data.image_io import read_image, write_png
from ..errors import DataError
from ..models.sdseg import SDSegModel, probabilities_to_labels
from .engine import InferenceSettings
from .overlay import overlay


class ImageFiles(Dataset):
    """Images read from disk and resized for the model, each with its index and original size."""

    def __init__(self, paths: list[Path], image_size: int):
        self.paths, self.image_size = paths, image_size

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, index: int) -> dict:
        image = read_image(self.paths[index])
        return {"image": image_to_tensor(image, self.image_size), "index": index, "height": image.shape[0],
                "width": image.shape[1]}


def to_original_size(probability: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """Soft masks (K, S, S) -> (K, height, width), bilinear, so thresholding happens at full resolution."""
    return F.interpolate(probability[None].float(), size=(height, width), mode="bilinear", align_corners=False)[0]


def stream_soft_masks(
    predict_batch: Callable[[torch.Tensor, list[int]], torch.Tensor],
    paths: list[Path],
    image_size: int,
    settings: InferenceSettings | None = None,
    desc: str = "predict",
) -> Iterator[tuple[int, torch.Tensor]]:
    """Yield ``(index into paths, soft masks (K, H, W) at the image's original size)`` for every input.

    ``predict_batch(images, indices)`` maps a batch resized to ``image_size`` to soft masks
    (B, K, S, S); any segmenter can stream through this (the benchmarks' supervised baseline does).
    Images are read and resized by DataLoader workers (pinned memory on GPU) while the model runs;
    only ``settings``' device, batch size, workers, layout and precision apply here.
    """
    if not paths:
        raise DataError("no input images given")
    settings = settings or InferenceSettings()
    loader = DataLoader(ImageFiles(paths, image_size), batch_size=settings.batch_size,
                        num_workers=settings.num_workers, pin_memory=settings.on_gpu)
    with torch.inference_mode():
        for batch in tqdm(loader, desc=desc, unit="batch"):
            indices = batch["index"].tolist()
            with settings.autocast():
                probability = predict_batch(settings.to_device(batch["image"]), indices).float().cpu()
            for p, i, h, w in zip(probability, indices, batch["height"].tolist(), batch["width"].tolist()):
                yield i, to_original_size(p, h, w)


def iter_probabilities(
    model: SDSegModel,
    paths: list[Path],
    settings: InferenceSettings | None = None,
    desc: str | None = None,
) -> Iterator[tuple[int, torch.Tensor]]:
    """``stream_soft_masks`` for an SDSeg model; ``settings`` default to the model's device, fp32, 1 step."""
    settings = settings or InferenceSettings.of_model(model)

    def predict_batch(image: torch.Tensor, indices: list[int]) -> torch.Tensor:
        return model.predict_proba(image, [settings.seed + i for i in indices], settings.steps, settings.decoder)

    return stream_soft_masks(predict_batch, paths, model.config.image_size, settings, desc or settings.label)


def predict_files(
    model: SDSegModel,
    paths: list[Path],
    output_dir: str | Path,
    settings: InferenceSettings | None = None,
    write_overlays: bool = True,
) -> dict:
    """Write ``output_dir/NAME.png`` (class indices, 0 = background) and ``overlays/NAME.png`` per input."""
    output_dir = Path(output_dir)
    started = time.perf_counter()
    for i, probability in iter_probabilities(model, paths, settings):
        mask = probabilities_to_labels(probability).numpy().astype(np.uint8)
        write_png(output_dir / f"{paths[i].stem}.png", mask)
        if write_overlays:
            write_png(output_dir / "overlays" / f"{paths[i].stem}.png", overlay(read_image(paths[i]), mask))
    seconds = time.perf_counter() - started
    return {"images": len(paths), "seconds": round(seconds, 2), "images_per_second": round(len(paths) / seconds, 2)}
