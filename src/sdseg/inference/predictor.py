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
from ..models.sdseg import SDSegModel
from .engine import InferenceSettings
from .ensemble import ModelEnsemble
from .overlay import overlay


OnFailure = Callable[[int, str], None]  # (index into the inputs, reason)


def stop_on_failure(index: int, reason: str) -> None:
    """The default for an input that cannot be read mid-run: stop the job with the reader's message."""
    raise DataError(reason)


class ImageFiles(Dataset):
    """Images read from disk and resized for the model, each with its index and original size.

    An unreadable image comes back as a placeholder carrying the reason, so that the main process
    decides whether it stops the job: an exception raised in a loader worker arrives wrapped in a
    traceback, and it would end the stream for every image after it.
    """

    def __init__(self, paths: list[Path], image_size: int, indices: list[int]):
        self.paths, self.image_size, self.indices = paths, image_size, indices

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, position: int) -> dict:
        index = self.indices[position]
        try:
            image = read_image(self.paths[index])
        except DataError as exc:
            size = self.image_size
            return {"image": torch.zeros(3, size, size), "index": index, "height": 0, "width": 0, "error": str(exc)}
        return {"image": image_to_tensor(image, self.image_size), "index": index, "height": image.shape[0],
                "width": image.shape[1], "error": ""}


def _readable(batch: dict, on_failure: OnFailure) -> torch.Tensor:
    """Which of the batch's images were read; the others are handed to ``on_failure``."""
    for index, error in zip(batch["index"].tolist(), batch["error"]):
        if error:
            on_failure(index, error)
    return torch.tensor([not error for error in batch["error"]])


def to_original_size(probability: torch.Tensor, height: int, width: int) -> torch.Tensor:
    """Soft masks (K, S, S) -> (K, height, width), bilinear, so thresholding happens at full resolution."""
    return F.interpolate(probability[None].float(), size=(height, width), mode="bilinear", align_corners=False)[0]


def stream_soft_masks(
    predict_batch: Callable[[torch.Tensor, list[int]], torch.Tensor],
    paths: list[Path],
    image_size: int,
    settings: InferenceSettings | None = None,
    desc: str = "predict",
    indices: list[int] | None = None,
    on_failure: OnFailure = stop_on_failure,
) -> Iterator[tuple[int, torch.Tensor]]:
    """Yield ``(index into paths, soft masks (K, H, W) at the image's original size)`` for each input
    in ``indices`` (default: all), in order.

    ``predict_batch(images, indices)`` maps a batch resized to ``image_size`` to soft masks
    (B, K, S, S); any segmenter can stream through this (the benchmarks' supervised baseline does).
    Images are read and resized by DataLoader workers (pinned memory on GPU) while the model runs;
    only ``settings``' device, batch size, workers, layout and precision apply here. An image that
    cannot be read goes to ``on_failure`` (default: stop with its error).
    """
    if not paths:
        raise DataError("no input images given")
    settings = settings or InferenceSettings()
    indices = list(range(len(paths))) if indices is None else indices
    loader = DataLoader(ImageFiles(paths, image_size, indices), batch_size=settings.batch_size,
                        num_workers=settings.num_workers, pin_memory=settings.on_gpu)
    with torch.inference_mode(), tqdm(total=len(indices), desc=desc, unit="image") as bar:
        for batch in loader:
            bar.update(len(batch["index"]))
            read = _readable(batch, on_failure)
            if not read.any():
                continue
            batch = {key: batch[key][read] for key in ("image", "index", "height", "width")}
            indices_read = batch["index"].tolist()
            with settings.autocast():
                probability = predict_batch(settings.to_device(batch["image"]), indices_read).float().cpu()
            for p, i, h, w in zip(probability, indices_read, batch["height"].tolist(), batch["width"].tolist()):
                yield i, to_original_size(p, h, w)


def iter_probabilities(
    model: SDSegModel | ModelEnsemble,
    paths: list[Path],
    settings: InferenceSettings | None = None,
    desc: str | None = None,
    indices: list[int] | None = None,
    on_failure: OnFailure = stop_on_failure,
) -> Iterator[tuple[int, torch.Tensor]]:
    """``stream_soft_masks`` for an SDSeg model; ``settings`` default to the model's device, fp32, 1 step.
    Input i uses noise seed ``settings.seed + i`` whichever ``indices`` are predicted."""
    settings = settings or InferenceSettings.of_model(model)

    def predict_batch(image: torch.Tensor, batch_indices: list[int]) -> torch.Tensor:
        return settings.soft_masks(model, image, [settings.seed + i for i in batch_indices])

    return stream_soft_masks(predict_batch, paths, model.config.image_size, settings, desc or settings.label,
                             indices, on_failure)


def predict_files(
    model: SDSegModel | ModelEnsemble,
    paths: list[Path],
    output_dir: str | Path,
    settings: InferenceSettings | None = None,
    write_overlays: bool = True,
    indices: list[int] | None = None,
    on_failure: OnFailure = stop_on_failure,
) -> dict:
    """Write ``output_dir/NAME.png`` (class indices, 0 = background) and ``overlays/NAME.png`` for each
    input in ``indices`` (default: all). The overlay is written first, so an existing mask means both are."""
    output_dir = Path(output_dir)
    started, written, scheme = time.perf_counter(), 0, model.label_scheme
    for i, probability in iter_probabilities(model, paths, settings, indices=indices, on_failure=on_failure):
        mask = scheme.to_labels(probability).numpy().astype(np.uint8)
        if write_overlays:
            write_png(output_dir / "overlays" / f"{paths[i].stem}.png", overlay(read_image(paths[i]), mask))
        write_png(output_dir / f"{paths[i].stem}.png", mask)
        written += 1
    seconds = time.perf_counter() - started
    return {"images": written, "seconds": round(seconds, 2), "images_per_second": round(written / seconds, 2)}
