"""``sdseg distill-decoder``: train a light mask decoder to stand in for the first stage's decoder.

The SDSeg model stays frozen. Per step, its single-step latents x0 of a batch of training
images (fresh noise, random flips, one class per item as in training) are the inputs -- the
very distribution the light decoder sees at inference -- and the full decoder's soft masks
of the same latents are the targets. The loss is BCE-with-logits, whose minimum is the
full decoder's output itself, plus optionally (``dice_loss_weight``) a soft Dice against its
thresholded mask. Validation is single-step Dice with ``decoder="light"``; the best decoder is kept.

The output is a complete model folder: the input model plus ``light_decoder/``. The run's
own files (preset.json, summary.json, checkpoint/, and the light decoder alone in best/ and
last/) go next to it, in ``OUTPUT.distill/``.
"""

from __future__ import annotations

import time
from pathlib import Path

import torch
import torch.nn.functional as F

from ..config import Preset
from ..data.augmentation import pick_classes, random_flips
from ..data.sources import open_train_val
from ..data.splits import Partition
from ..errors import CheckpointError, DataError
from ..io_utils import save_pretrained_atomic, write_json
from ..models.first_stage import downsampling_factor
from ..models.light_decoder import LightMaskDecoder
from ..models.sdseg import CONFIG_NAME, LIGHT_DECODER, SDSegModel
from .loop import TrainState, fit, make_accelerator, prepare_training, run_summary
from .progress import GRAD_NORM
from .sdseg_trainer import validation_dice, volume_validation_dice


def run_folder(output: str | Path) -> Path:
    """Where a distillation into the model folder ``output`` keeps its checkpoint and summary."""
    output = Path(output)
    return output.with_name(f"{output.name}.distill")


@torch.no_grad()
def teacher_pairs(model: SDSegModel, batch: dict) -> tuple[torch.Tensor, torch.Tensor]:
    """(single-step latents x0 from fresh noise, the full decoder's soft masks of them) for a batch."""
    c = model.denoiser.condition(batch["image"])
    noise = torch.randn(len(c), model.latent_channels, model.latent_size, model.latent_size, device=c.device)
    z0 = model.sample_latents(c, noise, 1, batch.get("class_labels"))
    return z0, model.decode_probabilities(z0)


def distill_loss(
    decoder: torch.nn.Module, z0: torch.Tensor, target: torch.Tensor, dice_weight: float
) -> dict[str, torch.Tensor]:
    """BCE-with-logits against the soft target plus ``dice_weight`` x a per-item soft Dice (smoothed by 1, so
    empty masks count) against the target's mask: a soft Dice against soft targets pushes every pixel above
    about Dice/2 towards 1 and so moves the 0.5 boundary outwards; against the mask it keeps each side."""
    logits = decoder(z0, return_logits=True)
    bce = F.binary_cross_entropy_with_logits(logits, target)
    p = torch.sigmoid(logits).flatten(1)
    t = (target > 0.5).float().flatten(1)
    soft_dice = 1 - ((2 * (p * t).sum(1) + 1) / (p.sum(1) + t.sum(1) + 1)).mean()
    return {"loss": bce + dice_weight * soft_dice, "bce": bce, "soft_dice": soft_dice}


def distill_decoder(
    preset: Preset,
    data_root: str | Path,
    model_dir: str | Path,
    output: str | Path,
    seed: int = 0,
    resume_training: bool = False,
    fold: int | None = None,
) -> dict:
    """Distil a light decoder for the model at ``model_dir`` on ``data_root``; write ``output``; return the summary.

    ``output`` may be ``model_dir`` itself, which then only gains ``light_decoder/``;
    any other input folder is never written to. ``fold``: the cross-validation fold the model was trained on.
    """
    cfg = preset.distill
    model_dir, output = Path(model_dir), Path(output)
    if output.is_dir() and any(output.iterdir()) and not (output / CONFIG_NAME).is_file():
        raise CheckpointError(f"{output}: exists and is not a model folder, so writing the model there would "
                              "replace it; choose a new folder or a model folder")
    run_dir = run_folder(output)
    accelerator = make_accelerator(run_dir, cfg, seed)
    model = SDSegModel.from_pretrained(model_dir).requires_grad_(False).to(accelerator.device)
    partition = Partition(seed, fold)
    train_set, val_set, info = open_train_val(data_root, model.config.image_size, partition, model.config.normalization)
    expected = (model.config.num_classes, model.denoiser.vision_encoder.config.in_channels, model.config.normalization)
    if (info.num_classes, info.in_channels, info.normalization) != expected:
        raise DataError(
            f"{data_root}: {info.num_classes} class(es), {info.in_channels} channel(s), normalisation "
            f"{info.normalization}; the model at {model_dir} was trained on {expected[0]}, {expected[1]}, "
            f"{expected[2]} -- distil on the dataset the model was trained on"
        )
    validate_on = volume_validation_dice if info.is_volume else validation_dice

    decoder = LightMaskDecoder(model.latent_channels, downsampling_factor(model.vae), tuple(cfg.block_out_channels))
    model.set_light_decoder(decoder.to(accelerator.device))
    state = TrainState()
    opt = prepare_training(accelerator, decoder, train_set, cfg, state, lr=cfg.lr, weight_decay=cfg.weight_decay,
                           partition=partition,
                           resume_from=run_dir if resume_training else None)
    full_dice = validate_on(model, val_set, cfg.val_batch_size)

    def train_step(batch: dict) -> dict[str, float]:
        z0, target = teacher_pairs(model, random_flips(pick_classes(batch, info.labels)))
        with accelerator.accumulate(opt.module):
            losses = distill_loss(opt.module, z0, target, cfg.dice_loss_weight)
            opt.step(accelerator, losses["loss"])
        return {"bce": losses["bce"].item(), "soft_dice": losses["soft_dice"].item(), GRAD_NORM: opt.grad_norm}

    started = time.perf_counter()
    fit(
        accelerator, state, opt.loader,
        steps=cfg.steps, val_every=cfg.val_every, checkpoint_every=cfg.checkpoint_every, output_dir=run_dir,
        seed=seed,
        train_step=train_step,
        validate=lambda: validate_on(model, val_set, cfg.val_batch_size, "light"),
        export=lambda path: save_pretrained_atomic(decoder, path),
        desc="distill decoder", max_minutes=cfg.max_minutes,
    )
    summary = {
        **run_summary(preset.name, state, seed, fold, train_set.case_names, val_set.case_names),
        "model": str(model_dir),
        "best_val_dice_single_step_light": state.best_metric,
        "val_dice_single_step_full": full_dice,
        "block_out_channels": list(cfg.block_out_channels),
        "parameters": sum(p.numel() for p in decoder.parameters()),
        "train_seconds_this_run": round(time.perf_counter() - started, 1),
        "history": state.extra["history"],
    }
    if accelerator.is_main_process:
        model.set_light_decoder(LightMaskDecoder.from_pretrained(run_dir / "best").to(accelerator.device))
        if output.resolve() == model_dir.resolve():
            save_pretrained_atomic(model.light_decoder, output / LIGHT_DECODER)
        else:
            model.save_pretrained(output)
        write_json(run_dir / "summary.json", summary)
    accelerator.wait_for_everyone()
    return summary
