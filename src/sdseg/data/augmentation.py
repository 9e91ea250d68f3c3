"""Augmentation applied to whole batches inside the training step.

Done there rather than in the dataset so that it draws from the per-step seed set by
the training loop: a resumed run then replays exactly the flips of an unbroken one.
"""

from __future__ import annotations

import torch


def random_flips(batch: dict) -> dict:
    """Flip each image/mask pair horizontally and vertically, each with probability 1/2."""
    image, mask = batch["image"], batch["mask"]
    for dim in (-1, -2):
        flip = (torch.rand(len(image), device=image.device) < 0.5).view(-1, 1, 1, 1)
        image = torch.where(flip, image.flip(dim), image)
        mask = torch.where(flip, mask.flip(dim), mask)
    return {**batch, "image": image, "mask": mask}
