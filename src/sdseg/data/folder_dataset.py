"""2D dataset folders: ``images/`` and ``masks/`` paired by file stem, with splits.

Layout::

    root/images/NAME.{png,jpg,bmp,tif}
    root/masks/NAME.{png,...}
    root/splits.json        # optional: {"train": [...], "val": [...], "test": [...]}
    root/splits_final.json  # optional: nnU-Net's cross-validation folds of train+val (``--fold``)

Without ``splits.json`` a seeded 80/10/10 split is made, so runs are reproducible (``splits.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch.utils.data import Dataset

from ..errors import DataError
from .image_io import image_size, list_images, read_image, read_mask
from .nnunet_dataset import missing_nnunet_parts
from .oversampling import oversampled
from .splits import SPLITS, Partition, load_splits


@dataclass(frozen=True)
class Case:
    """One image/mask pair of a dataset folder."""

    name: str
    image: Path
    mask: Path | None


def discover_cases(root: str | Path, require_masks: bool = True) -> dict[str, Case]:
    """Pair ``images/`` with ``masks/`` by stem; unpaired files are an error, not a silent skip."""
    root = Path(root)
    if not root.is_dir():
        raise DataError(f"{root}: dataset folder not found")
    if not (root / "images").is_dir():
        raise DataError(f"{root}: neither a 2D dataset (no images/ folder) nor an nnU-Net dataset "
                        f"(no {' and no '.join(missing_nnunet_parts(root))}); see the README's 'Your own data'")
    images = {p.stem: p for p in list_images(root / "images")}
    if not require_masks and not (root / "masks").is_dir():
        return {name: Case(name, path, None) for name, path in images.items()}
    masks = {p.stem: p for p in list_images(root / "masks")}
    for have, lack, what in ((images, masks, "images have no mask in masks/"),
                             (masks, images, "masks have no image in images/")):
        orphans = sorted(set(have) - set(lack))
        if orphans:
            raise DataError(f"{root}: {len(orphans)} {what} (e.g. {', '.join(orphans[:3])}); file stems must match")
    return {name: Case(name, images[name], masks[name]) for name in sorted(images)}


def image_to_tensor(image: np.ndarray, size: int | None = None) -> torch.Tensor:
    """uint8 (H, W, 3) -> float (3, size, size) in [-1, 1], the autoencoder's input range (bilinear resize)."""
    if size is not None:
        image = np.asarray(Image.fromarray(image).resize((size, size), Image.BILINEAR))
    return torch.from_numpy(image.astype(np.float32) / 127.5 - 1.0).permute(2, 0, 1).contiguous()


def mask_to_tensor(mask: np.ndarray, size: int | None = None) -> torch.Tensor:
    """uint8 {0,1} (H, W) -> float (1, size, size) in {0, 1}; a nearest-neighbour resize keeps it binary."""
    if size is not None:
        mask = np.asarray(Image.fromarray(mask).resize((size, size), Image.NEAREST))
    return torch.from_numpy(mask.astype(np.float32))[None]


def check_same_size(image_path: Path, image_shape: tuple, mask_path: Path, mask_shape: tuple) -> None:
    if tuple(image_shape) != tuple(mask_shape):
        raise DataError(
            f"{image_path} is {image_shape[1]}x{image_shape[0]} but {mask_path} is "
            f"{mask_shape[1]}x{mask_shape[0]}; an image and its mask must have the same size"
        )


class SegmentationFolder(Dataset):
    """A split of a 2D dataset folder, resized to the model's square input size; with ``foreground_fraction``,
    its cases with foreground or those without are repeated to that share of the draws (``oversampling.py``)."""

    def __init__(self, root: str | Path, split: str, image_size: int, partition: Partition = Partition(),
                 foreground_fraction: float | None = None):
        if split not in SPLITS:
            raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
        self.root = Path(root)
        cases = discover_cases(self.root)
        names = load_splits(self.root, list(cases), partition)[split]
        if not names:
            raise DataError(f"{self.root}: split {split!r} is empty; add cases to it in splits.json")
        self.cases = [cases[n] for n in names]
        self.image_size = image_size
        self._resized: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self.index = oversampled(range(len(self.cases)), self.verify(), foreground_fraction)

    @property
    def case_names(self) -> list[str]:
        """The cases this split holds, for the run's records."""
        return [case.name for case in self.cases]

    def __len__(self) -> int:
        return len(self.index)

    def verify(self) -> list[bool]:
        """Check every mask's values and every image's size up front, before hours of training; say which masks
        hold foreground."""
        has_foreground = []
        for case in self.cases:
            mask = read_mask(case.mask)
            check_same_size(case.image, image_size(case.image), case.mask, mask.shape)
            has_foreground.append(bool(mask.any()))
        return has_foreground

    def load(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        """Read one pair at its original size, checking that image and mask agree."""
        case = self.cases[index]
        image, mask = read_image(case.image), read_mask(case.mask)
        check_same_size(case.image, image.shape[:2], case.mask, mask.shape)
        return image, mask

    def __getitem__(self, position: int) -> dict:
        index = self.index[position]
        # Decoding and resizing cost about 4 ms a case, a third of a 64² training step, and every
        # epoch repeats them: each process keeps the resized uint8 pairs (16 MB per 1000 cases at 64², 256 MB at 256²).
        if index not in self._resized:
            image, mask = self.load(index)
            size = (self.image_size, self.image_size)
            self._resized[index] = (np.asarray(Image.fromarray(image).resize(size, Image.BILINEAR)),
                                    np.asarray(Image.fromarray(mask).resize(size, Image.NEAREST)))
        image, mask = self._resized[index]
        return {"image": image_to_tensor(image), "mask": mask_to_tensor(mask), "name": self.cases[index].name}
