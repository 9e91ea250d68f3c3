"""Batch-level steps applied inside the training step: flips, and the class each item trains on.

Done there rather than in the dataset so that they draw from the per-step seed set by
the training loop: a resumed run then replays exactly the flips of an unbroken one.
"""

from __future__ import annotations

import torch

SPATIAL_KEYS = ("image", "mask", "label")


def random_flips(batch: dict) -> dict:
    """Flip each item's image and masks horizontally and vertically, each with probability 1/2."""
    spatial = {key: batch[key] for key in SPATIAL_KEYS if key in batch}
    n = len(batch["image"])
    for dim in (-1, -2):
        flip = (torch.rand(n, device=batch["image"].device) < 0.5).view(-1, 1, 1, 1)
        spatial = {key: torch.where(flip, value.flip(dim), value) for key, value in spatial.items()}
    return {**batch, **spatial}


def pick_classes(batch: dict, num_classes: int) -> dict:
    """Give label batches a binary ``mask`` for one class per item, and its ``class_labels``.

    The class is drawn among those present in the slice (any class when none is, which
    keeps empty masks in training). ``class_labels`` are 0-based foreground indices, and
    only set for multi-class models. Batches that already hold a ``mask`` pass through.
    """
    if "label" not in batch:
        return batch
    label = batch["label"]
    present = torch.stack([(label == k + 1).flatten(1).any(1) for k in range(num_classes)], dim=1)
    weights = present.float() + (~present.any(dim=1, keepdim=True)).float()
    chosen = torch.multinomial(weights, 1)[:, 0]
    mask = (label == (chosen + 1).view(-1, 1, 1, 1)).float()
    return {**batch, "mask": mask, "class_labels": chosen if num_classes > 1 else None}


def as_rgb(image: torch.Tensor) -> torch.Tensor:
    """(B, C, H, W) -> (B, 3, H, W): RGB passes through; otherwise one random channel per item, replicated.

    Lets a first stage with RGB input learn the look of any modality's channels.
    """
    if image.shape[1] == 3:
        return image
    channel = torch.randint(0, image.shape[1], (len(image),), device=image.device)
    picked = image[torch.arange(len(image), device=image.device), channel]
    return picked[:, None].expand(-1, 3, -1, -1)
