"""``sdseg train``: train the vision encoder and denoiser around a frozen first stage.

Per step: the batch is resized (during ``training.coarse_steps``) and augmented, z0 = E(mask) (frozen, scaled;
E's output cached per distinct mask), t drawn (uniform, or T-1 for a share of the batch), z_t = q(z_t | z0),
output = UNet(concat(z_t, c), t) with c = vision_encoder(image), and the preset's weighted loss terms
(training/losses.py). The paper's are |output - eps| + |x0(z_t, output) - z0|; the latent term is what makes
the single step at t = T-1 work.
"""

from __future__ import annotations

import json
import time
import warnings
from collections import defaultdict
from itertools import islice
from pathlib import Path

import numpy as np
import torch
from accelerate import Accelerator
from torch import nn
from torch.utils.data import DataLoader, Dataset

from ..config import Preset
from ..data.augmentation import pick_classes, resized, training_batch
from ..data.slice_dataset import VolumeSlices
from ..data.sources import open_train_val
from ..data.splits import Partition
from ..errors import ConfigError
from ..io_utils import write_json
from ..models.first_stage import load_autoencoder
from ..models.sdseg import SDSegDenoiser, SDSegModel
from .loop import (TrainState, fit, make_accelerator, make_ema, mean_dice, native_bf16_flag, prepare_training,
                   run_summary)
from .losses import sdseg_loss
from .mask_encoding_cache import MaskEncodingCache
from .progress import GRAD_NORM


def measure_scale_factor(
    model: SDSegModel, dataset: Dataset, batch_size: int, seed: int, posterior_std: float = 1.0, batches: int = 1
) -> float:
    """1 / std of the mask latents of the first (seeded) training batches: one batch, as LDM does, by default.

    With 8 masks a batch that one batch's content moved cpu128's factor from 0.65 to 0.99 between seeds
    (docs/RESULTS.md, sixty-eighth round); more batches tie it to the data instead. Seeded independently of the
    process so every rank of a distributed run agrees; called while the model's factor is still 1, so the latents
    are unscaled. Masks are drawn as ``present`` whatever ``training.class_draw``: every empty mask has one
    latent, and counting those would tie the scale to how often a class is asked where it is absent.
    """
    device = next(model.vae.parameters()).device
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        loader = DataLoader(dataset, batch_size=batch_size, shuffle=True)
        latents = [model.encode_masks(pick_classes(batch, model.label_scheme)["mask"].to(device),
                                      posterior_std=posterior_std)
                   for batch in islice(loader, batches)]
    return float(1.0 / torch.cat(latents).std())


def warn_if_first_stage_saw(first_stage: str | Path, val_cases: list[str]) -> list[str]:
    """Warn when a first stage trained by ``sdseg train-autoencoder`` learnt from cases this run validates on.

    Its run's ``summary.json`` (beside it, or one level up for ``best/`` and ``last/``) lists its ``train_cases``;
    another ``--fold``, or another ``--seed`` where no ``splits_final.json`` fixes the folds, holds out other cases,
    and a held-out score through a first stage that trained on them is optimistic. A warning, not an error: one
    first stage shared by the folds is a deliberate shortcut too. Returns the cases it saw (none where nothing is
    recorded: pretrained weights, older runs)."""
    folder = Path(first_stage)
    summaries = [folder / "summary.json", folder.parent / "summary.json"] if folder.is_dir() else []
    summary = next((path for path in summaries if path.is_file()), None)
    if summary is None:
        return []
    seen = sorted(set(val_cases) & set(json.loads(summary.read_text()).get("train_cases", [])))
    if seen:
        warnings.warn(f"{first_stage} was trained on {len(seen)} of this run's {len(val_cases)} val case(s) "
                      f"({', '.join(seen[:3])}{', ...' if len(seen) > 3 else ''}; {summary}), so its val Dice "
                      "and any held-out score are optimistic: train the first stage with this run's --fold and --seed, "
                      "or fix the folds in a splits_final.json", stacklevel=2)
    return seen


def suggest_bf16(accelerator: Accelerator, mixed_precision: str) -> str | None:
    """Point a user training in fp32 on a CPU with native bf16 to ``--mixed-precision bf16``, which the presets leave
    off because it is slow on other CPUs. Returns the note printed, if any."""
    flag = native_bf16_flag() if accelerator.device.type == "cpu" and mixed_precision == "no" else None
    if flag is None:
        return None
    note = (f"note: this CPU has {flag}, so --mixed-precision bf16 trains faster here (cpu128 on PolypGen, on an "
            "avx512_bf16 CPU: about a third more steps in the same time, and a higher val Dice over six seeds; "
            "README, 'Your own data')")
    accelerator.print(note)
    return note


def validation_dice(model: SDSegModel, dataset: Dataset, batch_size: int, decoder: str = "full") -> float:
    """Single-step Dice at the model's resolution, with fixed per-case noise seeds."""

    def single_step(batch: dict, first_index: int) -> torch.Tensor:
        seeds = list(range(first_index, first_index + len(batch["image"])))
        return model.predict_proba(batch["image"], seeds, steps=1, decoder=decoder)

    return mean_dice(model.denoiser, dataset, single_step, batch_size)


@torch.no_grad()
def volume_validation_dice(
    model: SDSegModel, dataset: VolumeSlices, batch_size: int, decoder: str = "full"
) -> float:
    """Single-step volumetric Dice at the model's resolution: per validation case and class, then the mean.

    Slice-wise means would be dominated by empty slices; nnU-Net also selects on per-case Dice.
    """
    was_training = model.denoiser.training
    model.denoiser.eval()
    device = next(model.denoiser.parameters()).device
    labels = model.label_scheme
    counts: dict[tuple[int, int], np.ndarray] = defaultdict(lambda: np.zeros(3))
    first = 0
    for batch in DataLoader(dataset, batch_size=batch_size):
        seeds = list(range(first, first + len(batch["image"])))
        first += len(seeds)
        probability = model.predict_proba(batch["image"].to(device), seeds, 1, decoder)
        predicted = labels.planes(labels.to_labels(probability).cpu()[:, None])
        target = labels.planes(batch["label"])
        for k in range(labels.num_classes):
            p, g = predicted[:, k].flatten(1), target[:, k].flatten(1)
            tp = (p & g).sum(1)
            per_item = torch.stack([tp, p.sum(1) - tp, g.sum(1) - tp], dim=1).tolist()
            for case, item_counts in zip(batch["case"].tolist(), per_item):
                counts[(case, k)] += item_counts
    model.denoiser.train(was_training)
    scores = [2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0 for tp, fp, fn in counts.values()]
    return float(np.mean(scores))


def encoder_lr_groups(denoiser: nn.Module, encoder_lr: float, lr: float, frozen_levels: int = 0) -> list[dict] | None:
    """AdamW groups giving the vision encoder's pretrained tensors (those loaded from the first stage
    or a lender, ``pretrained_names``) their own rate; tensors it adds, such as output layers resized
    for the mask latent, keep ``lr``. Frozen tensors get no gradient and no group: those of the encoder's
    ``first_levels(frozen_levels)``, and the pretrained ones at rate 0 under a nonzero ``lr``. None (one
    group) when nothing is frozen and the rate is ``lr``, so that checkpoints of runs without the options
    still resume. A rate other than ``lr`` with no pretrained tensor is a ConfigError: it would change
    nothing (cpu128's wider encoder shares no tensor shape with its first stage's)."""
    encoder = denoiser.vision_encoder
    names = getattr(encoder, "pretrained_names", ())
    if encoder_lr != lr and not names:
        raise ConfigError(f"training.vision_encoder_lr_scale {encoder_lr / lr:g}: no tensor of the vision encoder "
                          "starts from pretrained weights (the preset's vision_encoder section makes it unlike the "
                          "first stage's encoder, so it trains from scratch), so the scale would change nothing; "
                          "leave it at 1, or give the vision encoder the first stage's architecture")
    frozen = {id(p) for p in encoder.first_levels(frozen_levels).parameters()}
    pretrained = [p for name, p in encoder.named_parameters()
                  if name in names and id(p) not in frozen]
    if encoder_lr == 0 != lr:
        frozen |= {id(p) for p in pretrained}
    if encoder_lr in (0, lr):
        pretrained = []
    if not frozen and not pretrained:
        return None
    for p in denoiser.parameters():
        p.requires_grad_(id(p) not in frozen)
    separate = frozen | {id(p) for p in pretrained}
    groups = [{"params": [p for p in denoiser.parameters() if id(p) not in separate]}]
    return groups + [{"params": pretrained, "lr": encoder_lr}] if pretrained else groups


def compile_for_training(denoiser: SDSegDenoiser) -> None:
    """torch.compile the vision encoder and the UNet in place, so that parameter names, checkpoints and
    saved models stay those of the plain modules (``torch.compile(module)`` would prefix them)."""
    denoiser.vision_encoder.compile()
    denoiser.unet.compile()


def train_sdseg(
    preset: Preset,
    data_root: str | Path,
    first_stage: str | Path,
    output_dir: str | Path,
    seed: int = 0,
    resume_training: bool = False,
    unet_init: str | Path | None = None,
    vision_encoder_init: str | Path | None = None,
    fold: int | None = None,
) -> dict:
    """Train SDSeg; keep ``best`` (by validation Dice, EMA weights) and ``last``; return the summary.

    ``unet_init``: an LDM UNet checkpoint to start the denoiser from (its conv_in widened with
    zeros to take the image latent too, as in the paper); a resumed run takes its weights from
    the checkpoint instead. ``vision_encoder_init``: an autoencoder of any kind ``--first-stage``
    takes (e.g. the pretrained taef2) whose encoder starts the vision encoder, in place of the
    first stage's; give it again on resume (it sets the architecture; the weights come from the checkpoint).
    ``fold``: one cross-validation fold of the data's train and val cases (``data/splits.py``).
    """
    preset = preset.checked()
    cfg = preset.training
    mask_latent_std = cfg.mask_latent_std if cfg.mask_latent == "sample" else 0.0
    output_dir = Path(output_dir)
    accelerator = make_accelerator(output_dir, cfg, seed)
    suggest_bf16(accelerator, cfg.mixed_precision)
    partition = Partition(seed, fold)
    train_set, val_set, info = open_train_val(data_root, preset.image_size, partition,
                                              foreground_fraction=cfg.foreground_fraction)
    validate_on = volume_validation_dice if info.is_volume else validation_dice

    warn_if_first_stage_saw(first_stage, val_set.case_names)
    vae = load_autoencoder(first_stage)
    # on resume too: the lender's architecture is what the checkpoint holds (its weights are then replaced)
    lender = None if vision_encoder_init is None else load_autoencoder(vision_encoder_init)
    model = SDSegModel.from_preset(preset, vae, info.labels, info.in_channels, info.normalization,
                                   unet_init=None if resume_training else unet_init, vision_encoder_init=lender)
    model = model.to(accelerator.device, memory_format=cfg.memory_format)
    scale_factor = measure_scale_factor(model, train_set, cfg.batch_size, seed, mask_latent_std, cfg.scale_batches)
    # what the weights started from, checkpointed so that a resumed run still reports it
    initialised_from = {"unet": unet_init and str(unet_init),
                        "vision_encoder": vision_encoder_init and str(vision_encoder_init)}
    state = TrainState(extra={"scale_factor": scale_factor, "initialised_from": initialised_from})
    denoiser = model.denoiser
    # scale_lr_by_batch follows LDM: base lr x the batch of one step, which spans every process
    lr = cfg.effective_lr * (accelerator.num_processes if cfg.scale_lr_by_batch else 1)
    ema = make_ema(denoiser, cfg.ema_decay)
    ema.to(accelerator.device)
    opt = prepare_training(accelerator, denoiser, train_set, cfg, state, lr=lr, weight_decay=cfg.weight_decay,
                           partition=partition,
                           checkpointed=(ema,), resume_from=output_dir if resume_training else None,
                           param_groups=encoder_lr_groups(denoiser, lr * cfg.vision_encoder_lr_scale, lr,
                                                          cfg.vision_encoder_frozen_levels))
    model.set_scale_factor(state.extra["scale_factor"])
    mask_cache = None if preset.augmentation.warps_masks else MaskEncodingCache(model.vae)
    if cfg.compile:
        compile_for_training(denoiser)

    def train_step(batch: dict) -> dict[str, float]:
        batch = training_batch(resized(batch, cfg.size_at(state.step, preset.image_size)), info.labels,
                               preset.augmentation, cfg.class_draw)
        batch["image"] = batch["image"].contiguous(memory_format=cfg.memory_format)
        with accelerator.accumulate(opt.module):
            losses = sdseg_loss(model, opt.module, batch, cfg.loss_weights_at(state.step), cfg.final_timestep_fraction,
                                mask_latent_std, mask_cache)
            opt.step(accelerator, losses["loss"], cfg.max_grad_norm)
        logs = {name: value.item() for name, value in losses.items() if name != "loss"}
        if accelerator.sync_gradients:
            ema.step(denoiser.parameters())
            logs[GRAD_NORM] = opt.grad_norm
        return logs

    def with_ema(action):
        """Run ``action`` with the EMA weights swapped in, as inference will use them."""
        ema.store(denoiser.parameters())
        ema.copy_to(denoiser.parameters())
        try:
            return action()
        finally:
            ema.restore(denoiser.parameters())

    def eagerly(action):
        """Run ``action`` without compiled graphs: validation's no-grad shapes would each compile anew."""
        with torch.compiler.set_stance("force_eager"):
            return action()

    started = time.perf_counter()
    fit(
        accelerator, state, opt.loader,
        steps=cfg.steps, val_every=cfg.val_every, checkpoint_every=cfg.checkpoint_every, output_dir=output_dir,
        train_step=train_step,
        seed=seed,
        validate=lambda: with_ema(lambda: eagerly(lambda: validate_on(model, val_set, cfg.val_batch_size))),
        export=lambda path: with_ema(lambda: model.save_pretrained(path)),
        desc="sdseg", max_minutes=cfg.max_minutes,
    )
    summary = {
        **run_summary(preset.name, state, seed, fold, train_set.case_names, val_set.case_names),
        "best_val_dice_single_step": state.best_metric,
        "scale_factor": model.config.scale_factor,
        "initialised_from": state.extra.get("initialised_from"),
        "parameters": model.parameter_counts(),
        "train_seconds_this_run": round(time.perf_counter() - started, 1),
        "skipped_updates_this_run": opt.skipped,  # non-finite gradients (see training.loop.Optimization)
        "masks_encoded_this_run": None if mask_cache is None else len(mask_cache),  # distinct, when cached
        "history": state.extra["history"],
    }
    if accelerator.is_main_process:
        write_json(output_dir / "summary.json", summary)
    return summary
