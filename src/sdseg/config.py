"""Presets: one JSON file holds every size and hyper-parameter of a run.

A preset has model sections (``autoencoder``, ``unet``, ``scheduler``) that are passed
as keyword arguments to the diffusers classes, and training sections that are typed
dataclasses below, so a typo in an override is an error rather than a silent no-op.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ConfigError

if TYPE_CHECKING:
    import torch

PRESETS = ("tiny", "cpu128", "small", "paper")


@dataclass
class LoopConfig:
    """What every training command's loop needs: length, batch, learning rate, cadence, hardware."""

    steps: int = 1000
    batch_size: int = 16
    lr: float = 1e-3
    warmup_steps: int = 50
    lr_schedule: str = "constant_with_warmup"  # any diffusers get_scheduler name, or "warmup_stable_decay"
    lr_decay_steps: int = 0  # warmup_stable_decay: the last this-many steps fall linearly to 0
    # AdamW's (beta1, beta2), torch's default: beta2 sets how many steps the per-weight step size averages over
    # (about 1 / (1 - beta2)), which matters when the gradient's statistics move, as at a change of image size.
    adam_betas: list[float] = field(default_factory=lambda: [0.9, 0.999])
    val_every: int = 250
    checkpoint_every: int = 250
    grad_accum: int = 1
    mixed_precision: str = "no"
    num_workers: int = 0
    # Wall-clock limit of one run in minutes (0 = none): training then ends early as if ``steps`` were
    # reached (validation, checkpoint, last/), for comparisons at an equal time budget. A decaying
    # lr_schedule still runs over ``steps``: set ``steps`` to what fits the minutes for it to finish.
    max_minutes: float = 0.0
    # accelerate trackers that also get the training scalars (e.g. ["tensorboard"]); their packages are the user's
    log_with: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if len(self.adam_betas) != 2 or not all(0 <= b < 1 for b in self.adam_betas):
            raise ConfigError(f"adam_betas {self.adam_betas}: use two values in [0, 1), e.g. [0.9, 0.999]")


@dataclass
class AutoencoderTrainingConfig(LoopConfig):
    """How ``sdseg train-autoencoder`` trains the first stage."""

    kl_weight: float = 1e-6
    image_fraction: float = 0.25  # share of each batch that is images rather than masks
    mask_foreground_weight: float = 1.0  # > 1 for small structures, e.g. 10 for brain tumour sub-regions
    # Train on random crops this many pixels square (0 = whole images): the first stage is convolutional, so
    # it learns local mask shapes from crops at a fraction of a step's cost, and still encodes whole images.
    # At 128² its round trip matched, but its latents were far less noisy and SDSeg learned much slower on
    # them (docs/RESULTS.md, eleventh round): no preset uses it.
    crop_size: int = 0


MASK_LATENTS = ("sample", "mode")
CLASS_DRAWS = ("present", "any")  # training.class_draw
# The named loss terms training/losses.py computes (its LOSS_TERMS has one function per name).
LOSS_TERM_NAMES = ("prediction", "prediction_mse", "latent", "condition", "latent_foreground",
                   "latent_foreground_per_image", "condition_foreground", "condition_foreground_per_image",
                   "condition_hardest_half", "condition_empty_images", "presence_bce", "mask_bce", "mask_dice")


@dataclass
class TrainingConfig(LoopConfig):
    """How ``sdseg train`` trains the vision encoder and denoiser."""

    steps: int = 2000
    lr: float = 1e-4
    warmup_steps: int = 100
    scale_lr_by_batch: bool = False  # the paper uses lr = base_lr * batch size (x processes when distributed)
    weight_decay: float = 0.01
    ema_decay: float = 0.999
    # Weight of each named loss term (training/losses.py); a term absent or at 0 is not computed.
    # The paper's objective: "prediction" (L1 of the UNet output against its target, the noise for
    # epsilon-prediction) + "latent" (L1 of the recovered x0 against z0).
    loss_weights: dict[str, float] = field(default_factory=lambda: {"prediction": 1.0, "latent": 1.0})
    # A term named here has its weight fall linearly from ``loss_weights``' value at step 0 to 0 at this step, and
    # is no longer computed after it: for a term that helps early and hurts late (the per-image x̂0 foreground
    # term led val over 1000 steps and trailed by 2000, docs/RESULTS.md twenty-fourth round; faded out by step
    # 1500 it still trailed from 1500, twenty-fifth round, so no preset fades a term). Absent = constant.
    loss_fade_steps: dict[str, int] = field(default_factory=dict)
    # Share of each batch trained at t = T-1, the one step single-step inference takes; the rest
    # draws t uniformly (0 = the paper, 1 = every item at the inference step, as Lotus trains).
    final_timestep_fraction: float = 0.0
    # z0 from the KL first stage's posterior: a sample (LDM and the paper, whose SD VAE has a tiny posterior
    # std) or its mode. A first stage trained here for 1000 steps at 128² keeps a posterior std of 0.72x
    # the spread of the means, so sampled targets are mostly noise; "mode" makes them deterministic.
    mask_latent: str = "sample"
    # A sampled z0's posterior std times this (1 = the first stage's own posterior). A crop-trained first stage's
    # far less noisy latents, and z0 as the mode, both made SDSeg learn slower (docs/RESULTS.md, eleventh round
    # and the 64² screen); neither 1.5 nor 0.75 trained faster than 1 (fiftieth and fifty-third rounds).
    mask_latent_std: float = 1.0
    # How many of the first (seeded) training batches' mask latents set the scale factor, 1 / their std: 1 is
    # LDM's and the paper's rule; with small batches that one batch varies a lot between seeds (sixty-eighth round).
    scale_batches: int = 1
    val_batch_size: int = 32
    max_grad_norm: float = 1.0
    # Channels-last weights and images, as GPU convolutions prefer; on a CPU with AMX and bf16 it changed a
    # cpu128 step by less than that machine's run-to-run noise (docs/PERFORMANCE.md).
    channels_last: bool = False
    # torch.compile the vision encoder and the UNet for training (validation runs them eagerly). Costs minutes
    # of compilation at the start of every run; on a 2-core AVX2 CPU it made a tiny step 1.27x faster and a
    # cpu128 one no faster (docs/PERFORMANCE.md), so no preset turns it on.
    compile: bool = False
    # The learning rate of the vision encoder's pretrained tensors (from the first stage or --vision-encoder-init)
    # as a fraction of lr; tensors it adds keep lr, and 0 freezes the pretrained ones. The supervised UNet on
    # taef2's encoder learned at lr 1e-4, not 1e-3 (RESULTS, eighth round), so a pretrained encoder may want less.
    # cpu128's vision encoder shares no tensor shape with its first stage's: training refuses a scale other than 1.
    vision_encoder_lr_scale: float = 1.0
    # The vision encoder's layers up to its N-th 2x downsampling keep their starting weights. They run at the
    # highest resolutions, so their backward pass is most of a step's cost with taef2's encoder (64 channels
    # at full resolution); a pretrained encoder's first layers (edges, colour) need the least adapting.
    vision_encoder_frozen_levels: int = 0
    # Progressive resizing: the first ``coarse_steps`` steps train on batches resized to ``coarse_size`` squared
    # (0 = off), the rest at the preset's image_size; validation stays at image_size. The networks are
    # convolutional and a 64² step of cpu128 costs a third to two thirds of a 128² one (beside another SDSeg
    # run and beside the baseline), so the coarse early part of learning is bought cheaper. Lists train in phases,
    # one size each, coarse_steps counting from step 0 and increasing: coarse_size [64, 96] with coarse_steps
    # [4000, 5500] trains steps 0-3999 at 64², 4000-5499 at 96², the rest at image_size. Which presets use it and
    # why (4000 steps at 64² for cpu128 only): docs/RESULTS.md, thirtieth to thirty-fourth rounds.
    coarse_size: int | list[int] = 0
    coarse_steps: int | list[int] = 0
    # The std of z_T at t = T-1 (0: zeros, Lotus-D's deterministic single step; zero-terminal-SNR schedules only),
    # saved in the model (sdseg.json) so that prediction starts from what training saw: see SDSegConfig.
    terminal_noise_std: float = 1.0
    # The share of training draws that show foreground (data/oversampling.py), reached by repeating whichever side
    # falls short. None keeps a 2D folder's own share and gives volume slices nnU-Net-like oversampling (at least
    # 0.67 of draws with a label). val and test are never resampled.
    foreground_fraction: float | None = None
    # Multi-class models: which class a training slice is asked for. "present": one the slice shows (an empty
    # slice, any); "any": any class, so the model also learns to answer "none here" on a slice with other
    # classes, as prediction asks every slice for every class. The BraTS models trained on "present" marked
    # edema over almost the whole tumour and lost the small classes to it; "any" did not tell them apart either
    # (cross-validated class mean 0.162 against 0.178; docs/RESULTS.md, BraTS6), so "present" stays the default.
    class_draw: str = "present"

    def __post_init__(self) -> None:
        super().__post_init__()
        sizes, ends = _as_list(self.coarse_size), _as_list(self.coarse_steps)
        off = sizes == [0] and ends == [0]
        if not off and (len(sizes) != len(ends) or min(sizes + ends, default=0) <= 0 or ends != sorted(set(ends))):
            raise ConfigError(f"training.coarse_size {self.coarse_size} and coarse_steps {self.coarse_steps}: set both "
                              "> 0 (train the first coarse_steps steps at coarse_size), or lists of equal length with "
                              "increasing coarse_steps (one phase each), or both to 0")
        if self.foreground_fraction is not None and not 0 < self.foreground_fraction < 1:
            raise ConfigError(f"training.foreground_fraction {self.foreground_fraction}: use a share between 0 and 1 "
                              "(exclusive), or null for the data's own")
        if self.vision_encoder_lr_scale < 0:
            raise ConfigError(f"training.vision_encoder_lr_scale {self.vision_encoder_lr_scale}: use a value >= 0")
        if self.vision_encoder_frozen_levels < 0:
            raise ConfigError(f"training.vision_encoder_frozen_levels {self.vision_encoder_frozen_levels}: "
                              "use a value >= 0")
        if self.mask_latent_std <= 0:
            raise ConfigError(f"training.mask_latent_std {self.mask_latent_std}: use a value > 0 (the mode is "
                              "training.mask_latent=mode)")
        if self.scale_batches < 1:
            raise ConfigError(f"training.scale_batches {self.scale_batches}: use at least 1 (the first batch)")
        if self.class_draw not in CLASS_DRAWS:
            raise ConfigError(f"training.class_draw {self.class_draw!r}: use one of {', '.join(CLASS_DRAWS)}")
        if self.mask_latent not in MASK_LATENTS:
            raise ConfigError(f"training.mask_latent {self.mask_latent!r}: use one of {', '.join(MASK_LATENTS)}")
        unknown = sorted(set(self.loss_weights) - set(LOSS_TERM_NAMES))
        if unknown:
            raise ConfigError(f"training.loss_weights: unknown term(s) {unknown}; known: {list(LOSS_TERM_NAMES)}")
        if not any(w > 0 for w in self.loss_weights.values()):
            raise ConfigError("training.loss_weights: at least one term needs a positive weight")
        unweighted = sorted(set(self.loss_fade_steps) - {n for n, w in self.loss_weights.items() if w > 0})
        if unweighted:
            raise ConfigError(f"training.loss_fade_steps: {unweighted} have no positive weight in "
                              "training.loss_weights")
        if not any(w > 0 for n, w in self.loss_weights.items() if n not in self.loss_fade_steps):
            raise ConfigError("training.loss_fade_steps: keep at least one positively weighted term unfaded")
        if any(steps <= 0 for steps in self.loss_fade_steps.values()):
            raise ConfigError(f"training.loss_fade_steps {self.loss_fade_steps}: use step counts > 0")

    def loss_weights_at(self, step: int) -> dict[str, float]:
        """Each term's weight at ``step`` (completed optimizer steps), after ``loss_fade_steps``."""
        return {name: weight * max(0.0, 1 - step / self.loss_fade_steps[name]) if name in self.loss_fade_steps
                else weight for name, weight in self.loss_weights.items()}

    def size_at(self, step: int, image_size: int) -> int:
        """The square size the batches of step ``step`` (completed optimizer steps) train at."""
        return next((size for size, end in self.coarse_phases if step < end), image_size)

    @property
    def coarse_phases(self) -> list[tuple[int, int]]:
        """Each coarse phase as (size, the step it ends before), in order; empty when training at image_size."""
        return [(size, end) for size, end in zip(_as_list(self.coarse_size), _as_list(self.coarse_steps)) if size]

    @property
    def effective_lr(self) -> float:
        return self.lr * self.batch_size if self.scale_lr_by_batch else self.lr

    @property
    def memory_format(self) -> torch.memory_format:
        """The layout ``channels_last`` asks for, for the models and the image batches."""
        import torch  # here, not at the top: the config module stays free of torch for light commands

        return torch.channels_last if self.channels_last else torch.contiguous_format


@dataclass
class AugmentationConfig:
    """Random changes applied to each training batch; masks follow the image's geometry.

    All zero/False gives the paper's training data (flips only); rotation, scale and shift are
    one random affine map per item, brightness and contrast act on the image alone.
    """

    flips: bool = True  # horizontal and vertical, each with probability 1/2
    rotate_degrees: float = 0.0  # angle drawn from [-r, r]
    scale: float = 0.0  # zoom factor drawn log-uniformly from [1/(1+s), 1+s]
    shift: float = 0.0  # translation drawn from [-s, s] of the image size, per axis
    brightness: float = 0.0  # offset drawn from [-b, b], on images scaled to [-1, 1]
    contrast: float = 0.0  # factor drawn from [1-c, 1+c] about each image's mean

    @property
    def warps_masks(self) -> bool:
        """Whether a training mask can take endless forms (so caching its encoding would never hit)."""
        return bool(self.rotate_degrees or self.scale or self.shift)


@dataclass
class DistillConfig(LoopConfig):
    """How ``sdseg distill-decoder`` trains the light mask decoder; the SDSeg model stays frozen."""

    steps: int = 500
    lr: float = 1e-3
    val_every: int = 100
    checkpoint_every: int = 100
    val_batch_size: int = 32
    weight_decay: float = 0.0
    # Soft Dice against the full decoder's mask, next to BCE against its soft output. Off by default: on the
    # PolypGen cpu128 model BCE alone matched the full decoder best (mask agreement Dice 0.83 vs 0.80 with
    # weight 1, mean |p - p_full| 0.017 vs 0.075); Dice against the soft output doubled the foreground.
    dice_loss_weight: float = 0.0
    block_out_channels: list[int] = field(default_factory=lambda: [64, 32, 16])  # one per 2x level of the decoder


@dataclass
class Preset:
    """A complete run description; ``to_dict`` round-trips through JSON."""

    name: str
    image_size: int
    autoencoder: dict[str, Any]
    unet: dict[str, Any]
    scheduler: dict[str, Any]
    # Overrides of the vision encoder's architecture (e.g. wider ``block_out_channels``); empty = the
    # first stage's encoder, initialised from its weights (the paper). Layers whose shape changes start fresh.
    vision_encoder: dict[str, Any] = field(default_factory=dict)
    augmentation: AugmentationConfig = field(default_factory=AugmentationConfig)
    autoencoder_training: AutoencoderTrainingConfig = field(default_factory=AutoencoderTrainingConfig)
    training: TrainingConfig = field(default_factory=TrainingConfig)
    distill: DistillConfig = field(default_factory=DistillConfig)

    def __post_init__(self) -> None:
        levels = len(self.autoencoder.get("block_out_channels", [0])) + len(self.unet.get("block_out_channels", [0]))
        multiple = 2 ** (levels - 2)  # the first stage's and the UNet's downsamplings
        for coarse, _ in self.training.coarse_phases:
            if not (coarse < self.image_size and coarse % multiple == 0):
                raise ConfigError(f"training.coarse_size {coarse}: use a size below image_size {self.image_size} "
                                  f"and a multiple of {multiple} (the first stage's and the UNet's downsampling), "
                                  "or train at image_size throughout with --set training.coarse_size=0 "
                                  "--set training.coarse_steps=0")
        if self.training.loss_weights.get("presence_bce", 0) > 0 and not self.vision_encoder.get("presence_head"):
            raise ConfigError("training.loss_weights.presence_bce needs a presence head: set "
                              "vision_encoder.presence_head=true")

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def checked(self) -> "Preset":
        """A copy validated as a freshly loaded preset is: fields set after building skip the checks."""
        return Preset.from_dict(self.to_dict())

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Preset":
        data = copy.deepcopy(data)
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ConfigError(f"unknown preset section(s) {sorted(unknown)}; known: {sorted(known)}")
        try:
            data["autoencoder_training"] = _typed(AutoencoderTrainingConfig, data.get("autoencoder_training", {}))
            data["training"] = _typed(TrainingConfig, data.get("training", {}))
            data["distill"] = _typed(DistillConfig, data.get("distill", {}))
            data["augmentation"] = _typed(AugmentationConfig, data.get("augmentation", {}))
            return cls(**data)
        except TypeError as exc:
            raise ConfigError(f"incomplete preset: {exc}") from exc


def _as_list(value: int | list[int]) -> list[int]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _typed(cls, values: dict[str, Any]):
    known = {f.name: f for f in dataclasses.fields(cls)}
    unknown = set(values) - set(known)
    if unknown:
        raise ConfigError(f"unknown {cls.__name__} key(s) {sorted(unknown)}; known: {sorted(known)}")
    return cls(**values)


def load_preset(name_or_path: str | Path = "tiny", overrides: list[str] | None = None) -> Preset:
    """Load a built-in preset by name, or a JSON file by path, then apply ``a.b=value`` overrides."""
    path = Path(name_or_path)
    if str(name_or_path) in PRESETS:
        text = resources.files("sdseg.configs").joinpath(f"{name_or_path}.json").read_text()
    elif path.is_file():
        text = path.read_text()
    else:
        raise ConfigError(f"no preset named {str(name_or_path)!r}: use one of {', '.join(PRESETS)} or a JSON file path")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{name_or_path}: not valid JSON ({exc})") from exc
    for item in overrides or []:
        apply_override(data, item)
    return Preset.from_dict(data)


def apply_override(data: dict[str, Any], item: str) -> None:
    """Set ``data[a][b] = value`` from ``"a.b=value"``; the value is parsed as JSON when it can be."""
    key, sep, raw = item.partition("=")
    if not sep or not key:
        raise ConfigError(f"override {item!r} is not of the form section.key=value")
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = raw
    *parents, leaf = key.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})  # a section the file leaves at its defaults; from_dict checks the name
        if not isinstance(node, dict):
            raise ConfigError(f"override {item!r}: {part!r} is not a section of the preset")
    node[leaf] = value
