"""Batch-level steps applied inside the training step: augmentation, and the class each item trains on.

Done there rather than in the dataset so that they draw from the per-step seed set by
the training loop: a resumed run then replays exactly the augmentation of an unbroken one.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from ..config import CLASS_DRAWS, AugmentationConfig
from .label_scheme import LabelScheme

SPATIAL_KEYS = ("image", "mask", "label")


def random_flips(batch: dict) -> dict:
    """Flip each item's image and masks horizontally and vertically, each with probability 1/2."""
    spatial = {key: batch[key] for key in SPATIAL_KEYS if key in batch}
    n = len(batch["image"])
    for dim in (-1, -2):
        flip = (torch.rand(n, device=batch["image"].device) < 0.5).view(-1, 1, 1, 1)
        spatial = {key: torch.where(flip, value.flip(dim), value) for key, value in spatial.items()}
    return {**batch, **spatial}


def random_crops(batch: dict, size: int) -> dict:
    """One random ``size``-square window per item, cut from its image and masks alike."""
    spatial = {key: batch[key] for key in SPATIAL_KEYS if key in batch}
    height, width = batch["image"].shape[-2:]
    if not 0 < size <= min(height, width):
        raise ValueError(f"crop size {size} does not fit {height}x{width} images")
    n = len(batch["image"])
    top = torch.randint(0, height - size + 1, (n,)).tolist()
    left = torch.randint(0, width - size + 1, (n,)).tolist()
    cropped = {key: torch.stack([item[..., y:y + size, x:x + size] for item, y, x in zip(value, top, left)])
               for key, value in spatial.items()}
    return {**batch, **cropped}


def resized(batch: dict, size: int) -> dict:
    """The batch's images and masks at ``size`` squared (unchanged when already so): images bilinearly with
    antialiasing, as the loaders' PIL resize does; masks and label maps by nearest neighbour, so they stay binary
    and labels stay labels."""
    if batch["image"].shape[-1] == size == batch["image"].shape[-2]:
        return batch
    spatial = {key: batch[key] for key in SPATIAL_KEYS if key in batch}
    out = {key: F.interpolate(value.float(), size=(size, size), mode="nearest-exact").to(value.dtype)
           for key, value in spatial.items() if key != "image"}
    out["image"] = F.interpolate(batch["image"], size=(size, size), mode="bilinear", antialias=True,
                                 align_corners=False)
    return {**batch, **out}


def _uniform(n: int, low: float, high: float, device: torch.device) -> torch.Tensor:
    return low + (high - low) * torch.rand(n, device=device)


def random_affine(batch: dict, rotate_degrees: float, scale: float, shift: float) -> dict:
    """One random rotation, zoom and shift per item, applied to its image and masks alike.

    Images are resampled bilinearly with their border repeated; binary masks bilinearly, then
    thresholded at 1/2; label maps with nearest neighbours, so labels stay labels.
    """
    image = batch["image"]
    n, device = len(image), image.device
    angle = torch.deg2rad(_uniform(n, -rotate_degrees, rotate_degrees, device))
    zoom = torch.exp(_uniform(n, -math.log1p(scale), math.log1p(scale), device))
    cos, sin = torch.cos(angle) / zoom, torch.sin(angle) / zoom
    dx, dy = (2 * _uniform(n, -shift, shift, device) for _ in range(2))  # grid coordinates span 2
    theta = torch.stack([torch.stack([cos, -sin, dx], 1), torch.stack([sin, cos, dy], 1)], 1)
    grid = F.affine_grid(theta, list(image.shape), align_corners=False)

    def warp(value: torch.Tensor, mode: str, padding: str) -> torch.Tensor:
        return F.grid_sample(value.float(), grid, mode=mode, padding_mode=padding, align_corners=False)

    out = {"image": warp(image, "bilinear", "border")}
    if "mask" in batch:
        out["mask"] = (warp(batch["mask"], "bilinear", "zeros") > 0.5).to(batch["mask"].dtype)
    if "label" in batch:
        out["label"] = warp(batch["label"], "nearest", "zeros").round().to(batch["label"].dtype)
    return {**batch, **out}


def random_intensity(batch: dict, brightness: float, contrast: float) -> dict:
    """Shift each image by a random offset and stretch it about its mean by a random factor."""
    image = batch["image"]
    n, device, shape = len(image), image.device, (-1, 1, 1, 1)
    offset = _uniform(n, -brightness, brightness, device).view(shape)
    factor = _uniform(n, 1 - contrast, 1 + contrast, device).view(shape)
    mean = image.mean(dim=(1, 2, 3), keepdim=True)
    return {**batch, "image": (image - mean) * factor + mean + offset}


def augment(batch: dict, cfg: AugmentationConfig) -> dict:
    """The preset's augmentation of one training batch; each kind is skipped when its setting is 0."""
    if cfg.flips:
        batch = random_flips(batch)
    if cfg.rotate_degrees or cfg.scale or cfg.shift:
        batch = random_affine(batch, cfg.rotate_degrees, cfg.scale, cfg.shift)
    if cfg.brightness or cfg.contrast:
        batch = random_intensity(batch, cfg.brightness, cfg.contrast)
    return batch


def training_batch(batch: dict, labels: LabelScheme, cfg: AugmentationConfig, class_draw: str = "present") -> dict:
    """Augment a loader batch, then pick each item's class: a label map is warped once (nearest) and the
    binary mask is read off the warped labels, so mask and label always agree."""
    return pick_classes(augment(batch, cfg), labels, class_draw)


def pick_classes(batch: dict, labels: LabelScheme, draw: str = "present") -> dict:
    """Give label batches a binary ``mask`` for one class per item, and its ``class_labels``.

    ``present``: the class is drawn among those the slice shows (any class when it shows none, which keeps
    empty masks in training). ``any``: among all classes, so a slice is also asked for a class it lacks, as
    prediction asks every slice for every class. ``class_labels`` are 0-based foreground indices, and only
    set for multi-class models. Batches that already hold a ``mask`` pass through.
    """
    if "label" not in batch:
        return batch
    if draw not in CLASS_DRAWS:
        raise ValueError(f"class draw {draw!r}: use one of {CLASS_DRAWS}")
    planes = labels.planes(batch["label"])
    present = planes.flatten(2).any(2)
    weights = present.float() + (~present.any(dim=1, keepdim=True)).float()
    chosen = torch.multinomial(weights if draw == "present" else torch.ones_like(weights), 1)[:, 0]
    mask = planes[torch.arange(len(chosen), device=chosen.device), chosen].float()
    return {**batch, "mask": mask, "class_labels": chosen if labels.num_classes > 1 else None}


def as_rgb(image: torch.Tensor) -> torch.Tensor:
    """(B, C, H, W) -> (B, 3, H, W): RGB passes through; otherwise one random channel per item, replicated.

    Lets a first stage with RGB input learn the look of any modality's channels.
    """
    if image.shape[1] == 3:
        return image
    channel = torch.randint(0, image.shape[1], (len(image),), device=image.device)
    picked = image[torch.arange(len(image), device=image.device), channel]
    return picked[:, None].expand(-1, 3, -1, -1)
