"""``sdseg train-autoencoder``: train the KL first stage when no Stable Diffusion weights exist.

The loss is L1 reconstruction plus a small KL term (as the LDM autoencoders, without
their optional perceptual/adversarial terms). Batches mix masks -- what the first
stage must reconstruct near-perfectly -- with images, so its encoder, which
initialises SDSeg's vision encoder, has also seen the image domain.
"""

from __future__ import annotations

from pathlib import Path

import torch
from diffusers import AutoencoderKL
from torch import nn
from torch.utils.data import Dataset

from ..config import Preset
from ..data.augmentation import as_rgb, pick_classes, random_crops, random_flips
from ..data.label_scheme import LabelScheme
from ..data.sources import open_train_val
from ..data.splits import Partition
from ..errors import ConfigError
from ..io_utils import save_pretrained_atomic, write_json
from ..models.first_stage import (
    build_autoencoder, downsampling_factor, mask_round_trip, mask_to_ae_input,
)
from .loop import (
    TrainState, class_masks, fit, make_accelerator, mean_dice, prepare_training, run_summary,
)
from .progress import GRAD_NORM


class ReconstructionLoss(nn.Module):
    """Autoencoder and loss in one ``forward``, so distributed training can wrap it."""

    def __init__(self, vae: AutoencoderKL, kl_weight: float):
        super().__init__()
        self.vae = vae
        self.kl_weight = kl_weight

    def forward(self, x: torch.Tensor, weight: torch.Tensor | None = None) -> dict[str, torch.Tensor]:
        """``weight`` (B, 1, H, W) scales each pixel's L1; the weighted mean keeps the loss's scale."""
        posterior = self.vae.encode(x).latent_dist
        reconstruction = self.vae.decode(posterior.sample()).sample
        error = (reconstruction - x).abs()
        l1 = error.mean() if weight is None else (error * weight).sum() / (weight.sum() * x.shape[1])
        kl = posterior.kl().mean()
        return {"loss": l1 + self.kl_weight * kl, "l1": l1, "kl": kl}


def pixel_weights(n_images: int, masks: torch.Tensor, foreground_weight: float) -> torch.Tensor | None:
    """1 for image pixels and mask background, ``foreground_weight`` for mask foreground.

    Small structures (a tumour core is a few pixels of a brain slice) are otherwise
    outweighed by background and the autoencoder learns to erase them.
    """
    if foreground_weight == 1:
        return None
    image_weight = masks.new_ones((n_images, 1, *masks.shape[2:]))
    return torch.cat([image_weight, 1 + (foreground_weight - 1) * masks])


def mask_round_trip_dice(vae: AutoencoderKL, dataset: Dataset, labels: LabelScheme = LabelScheme.plain(1),
                         batch_size: int = 32) -> float:
    """Mean Dice of masks encoded (posterior mode) and decoded: the ceiling SDSeg can reach. The masks are those
    SDSeg encodes: with several classes, each class a slice shows, not their union, which is larger and easier
    (on the BraTS folds 0.83 for the whole tumour against 0.39-0.67 for the sub-regions, benchmarks/class_ceiling.py)."""

    return mean_dice(vae, dataset, lambda batch, first_index: mask_round_trip(vae, class_masks(batch, labels)),
                     batch_size, targets=lambda batch: class_masks(batch, labels))


def check_crop_size(crop_size: int, image_size: int, factor: int) -> None:
    """A crop must fit the image and be a whole number of latent pixels."""
    if crop_size and not (0 < crop_size <= image_size and crop_size % factor == 0):
        raise ConfigError(f"autoencoder_training.crop_size {crop_size}: use 0 (whole images) or a multiple of "
                          f"{factor} (the first stage's downsampling) up to the image size {image_size}")


def train_autoencoder(
    preset: Preset, data_root: str | Path, output_dir: str | Path, seed: int = 0, resume_training: bool = False,
    fold: int | None = None,
) -> dict:
    """Train, keep ``best`` (by validation round-trip Dice) and ``last``; return the summary. ``fold``: one
    cross-validation fold of the data's train and val cases (``data/splits.py``)."""
    preset = preset.checked()
    cfg = preset.autoencoder_training
    output_dir = Path(output_dir)
    accelerator = make_accelerator(output_dir, cfg, seed)
    partition = Partition(seed, fold)
    train_set, val_set, info = open_train_val(data_root, preset.image_size, partition)

    vae = build_autoencoder(preset.autoencoder, preset.image_size)
    check_crop_size(cfg.crop_size, preset.image_size, downsampling_factor(vae))
    objective = ReconstructionLoss(vae, cfg.kl_weight)
    state = TrainState()
    opt = prepare_training(accelerator, objective, train_set, cfg, state, lr=cfg.lr, partition=partition,
                           resume_from=output_dir if resume_training else None)
    n_images = round(cfg.image_fraction * cfg.batch_size)

    def train_step(batch: dict) -> dict[str, float]:
        batch = random_flips(pick_classes(batch, info.labels))
        if cfg.crop_size:
            batch = random_crops(batch, cfg.crop_size)
        masks = batch["mask"][n_images:]
        x = torch.cat([as_rgb(batch["image"][:n_images]), mask_to_ae_input(masks)])
        with accelerator.accumulate(opt.module):
            losses = opt.module(x, pixel_weights(n_images, masks, cfg.mask_foreground_weight))
            opt.step(accelerator, losses["loss"])
        return {"l1": losses["l1"].item(), GRAD_NORM: opt.grad_norm}

    fit(
        accelerator, state, opt.loader,
        steps=cfg.steps, val_every=cfg.val_every, checkpoint_every=cfg.checkpoint_every, output_dir=output_dir,
        train_step=train_step,
        seed=seed,
        validate=lambda: mask_round_trip_dice(vae, val_set, info.labels),
        export=lambda path: save_pretrained_atomic(vae, path),
        desc="autoencoder", max_minutes=cfg.max_minutes,
    )
    summary = {
        **run_summary(preset.name, state, seed, fold, train_set.case_names, val_set.case_names),
        "val_mask_round_trip_dice": state.best_metric,
        "skipped_updates_this_run": opt.skipped,
        "parameters": sum(p.numel() for p in vae.parameters()),
        "history": state.extra["history"],
    }
    if accelerator.is_main_process:
        write_json(output_dir / "summary.json", summary)
    return summary
