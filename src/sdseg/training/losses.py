"""SDSeg's training objective as named loss terms, each weighted by the preset's ``loss_weights``.

A term is a small function of one training batch's tensors (``LossInputs``). The paper's
objective is ``prediction`` + ``latent``; the others are recipe options measured in
docs/RESULTS.md. Terms with weight 0 are neither computed nor logged, and the mask terms'
decoding only runs when one of them is weighted.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Callable

import torch
import torch.nn.functional as F

from ..config import TrainingConfig
from ..errors import ConfigError
from ..models.sdseg import SDSegModel, predicted_original, prediction_target

# Decoded masks are mean-of-3-channels in [-1, 1] with the inference threshold at 0; as logits
# scaled by 4 they map -1 / 0 / 1 to probabilities 0.018 / 0.5 / 0.982 and keep a gradient
# where a clamped probability would have none.
MASK_LOGIT_SCALE = 4.0


@dataclass
class LossInputs:
    """One batch's tensors that loss terms read; ``mask_logits`` decodes x0 on first use."""

    model: SDSegModel
    z0: torch.Tensor
    z_t: torch.Tensor
    t: torch.Tensor
    noise: torch.Tensor
    output: torch.Tensor  # the UNet's prediction
    c: torch.Tensor  # the image latent
    mask: torch.Tensor  # (B, 1, H, W) in {0, 1}, the mask z0 encodes
    presence: torch.Tensor | None = None  # (B,) logits of the vision encoder's presence head, if it has one

    @cached_property
    def x0(self) -> torch.Tensor:
        return predicted_original(self.model.scheduler, self.z_t, self.t, self.output)

    @cached_property
    def mask_logits(self) -> torch.Tensor:
        """x0 through the frozen first-stage decoder (gradients reach x0), as per-pixel mask logits."""
        decoded = self.model.vae.decode(self.x0 / self.model.config.scale_factor).sample
        return MASK_LOGIT_SCALE * decoded.mean(dim=1, keepdim=True)

    @property
    def c_latent(self) -> torch.Tensor:
        """c's mask latent channels, those condition losses compare with z0 (the rest are free features)."""
        return self.c[:, : self.z0.shape[1]]

    @property
    def mask_target(self) -> torch.Tensor:
        return (self.mask > 0.5).float()

    @cached_property
    def foreground(self) -> torch.Tensor:
        """(B, 1, h, w) at the latent's size: 1 where that latent pixel's patch of the mask holds foreground."""
        return F.adaptive_max_pool2d(self.mask_target, self.z0.shape[-2:])


def prediction_l1(x: LossInputs) -> torch.Tensor:
    """L1 of the UNet output against its target (noise, velocity or z0): the paper's noise loss."""
    return (x.output - prediction_target(x.model.scheduler, x.z0, x.noise, x.t)).abs().mean()


def prediction_mse(x: LossInputs) -> torch.Tensor:
    """Squared error of the UNet output against its target (diffusers' usual objective): unlike L1, its gradient
    grows with the error, so a missed object's large latent error weighs more than many small ones."""
    return F.mse_loss(x.output, prediction_target(x.model.scheduler, x.z0, x.noise, x.t))


def latent_l1(x: LossInputs) -> torch.Tensor:
    """L1 of the recovered x0 against z0: the paper's latent-estimation loss."""
    return (x.x0 - x.z0).abs().mean()


def condition_l1(x: LossInputs) -> torch.Tensor:
    """L1 of the image latent c against z0: the vision encoder is asked for the mask latent directly."""
    return (x.c_latent - x.z0).abs().mean()


def _foreground_l1(estimate: torch.Tensor, x: LossInputs) -> torch.Tensor:
    """Mean |estimate - z0| over the latent pixels above foreground (0 for a batch without any)."""
    weight = x.foreground
    return ((estimate - x.z0).abs() * weight).sum() / (weight.sum() * x.z0.shape[1]).clamp(min=1)


def _region_l1_per_image(estimate: torch.Tensor, x: LossInputs, region: torch.Tensor) -> torch.Tensor:
    """Mean |estimate - z0| over each image's ``region`` (B, 1, h, w) of latent pixels, then over the images
    whose region is not empty (0 for a batch without any)."""
    per_image = ((estimate - x.z0).abs() * region).sum((1, 2, 3)) / (region.sum((1, 2, 3)) * x.z0.shape[1]).clamp(min=1)
    present = region.flatten(1).any(1)
    return per_image[present].mean() if present.any() else per_image.sum() * 0


def _foreground_l1_per_image(estimate: torch.Tensor, x: LossInputs) -> torch.Tensor:
    """Per image over its foreground latent pixels: every object counts alike, however few pixels it covers."""
    return _region_l1_per_image(estimate, x, x.foreground)


def latent_foreground_l1(x: LossInputs) -> torch.Tensor:
    """``latent_l1`` on the foreground's latent pixels alone: a small polyp is a few of a latent's values,
    so in the plain mean an empty prediction costs it little."""
    return _foreground_l1(x.x0, x)


def latent_foreground_per_image_l1(x: LossInputs) -> torch.Tensor:
    """``latent_foreground_l1`` averaged per image, as ``condition_foreground_per_image_l1`` is: the
    batch-wide term overshot into false alarms (RESULTS, eleventh round); this one weighs each polyp alike.
    Added to ``cpu128`` it led val for 1000 steps and trailed by 2000 (twenty-fourth round), and faded out by step
    1500 (``loss_fade_steps``) it still trailed from 1500 (twenty-fifth round): no preset uses it."""
    return _foreground_l1_per_image(x.x0, x)


def condition_foreground_l1(x: LossInputs) -> torch.Tensor:
    """``condition_l1`` on the foreground's latent pixels alone, for the same reason."""
    return _foreground_l1(x.c_latent, x)


def condition_foreground_per_image_l1(x: LossInputs) -> torch.Tensor:
    """``condition_foreground_l1`` averaged per image: in the batch-wide mean a large polyp outweighs a
    small one by its area, and small polyps are what cpu128 misses most (docs/RESULTS.md, 22nd round)."""
    return _foreground_l1_per_image(x.c_latent, x)


def condition_hardest_half_l1(x: LossInputs) -> torch.Tensor:
    """``condition_l1`` per image, averaged over the batch's worse half (online hard-example mining): the polyps
    cpu128 misses and the false alarms it marks are a few images with large errors, which the plain mean dilutes.
    Added to cpu128 at weight 1 it trailed val over 3000 steps at two seeds (seventy-sixth round): no preset uses it."""
    per_image = (x.c_latent - x.z0).abs().mean((1, 2, 3))
    return per_image.topk(max(1, len(per_image) // 2)).values.mean()


def condition_empty_images_l1(x: LossInputs) -> torch.Tensor:
    """``condition_l1`` on the images without foreground alone (0 for a batch without any): a false alarm on
    such an image costs it Dice 1; cpu128 marks 4-8 of the 13 empty test images, and on the twenty-fifth round's
    models those marks were polyp-sized, so no area rule removes them. Added to cpu128 it left as many false alarms
    and trailed val at 3000 steps at two seeds (twenty-sixth round): no preset uses it (docs/RESULTS.md)."""
    empty = (x.foreground.flatten(1).amax(1) == 0).float()[:, None, None, None]
    return _region_l1_per_image(x.c_latent, x, empty.expand_as(x.foreground))


def presence_bce(x: LossInputs) -> torch.Tensor:
    """Binary cross-entropy of the presence head's logit against whether the image's mask holds foreground:
    the false alarms on polyp-free images are as confident as the polyps in the mask itself (RESULTS, sixty-third
    round), so prediction asks this image-level head instead. On cpu128 the head learned the masks' own cue: its
    verdicts moved val Dice by 0.0005 at most, and val per step was level (seventy-fourth round): no preset uses it."""
    if x.presence is None:
        raise ConfigError("training.loss_weights.presence_bce needs a presence head: set "
                          "vision_encoder.presence_head=true")
    return F.binary_cross_entropy_with_logits(x.presence, x.mask_target.flatten(1).amax(1))


def mask_bce(x: LossInputs) -> torch.Tensor:
    """Binary cross-entropy of the decoded x0 against the mask, in pixel space."""
    return F.binary_cross_entropy_with_logits(x.mask_logits, x.mask_target)


def mask_dice(x: LossInputs) -> torch.Tensor:
    """1 - soft Dice of the decoded x0 per image: scores the foreground, not every latent value alike."""
    p, g = x.mask_logits.sigmoid().flatten(1), x.mask_target.flatten(1)
    return (1 - (2 * (p * g).sum(1) + 1) / (p.sum(1) + g.sum(1) + 1)).mean()


LOSS_TERMS: dict[str, Callable[[LossInputs], torch.Tensor]] = {
    "prediction": prediction_l1,
    "prediction_mse": prediction_mse,
    "latent": latent_l1,
    "condition": condition_l1,
    "latent_foreground": latent_foreground_l1,
    "latent_foreground_per_image": latent_foreground_per_image_l1,
    "condition_foreground": condition_foreground_l1,
    "condition_foreground_per_image": condition_foreground_per_image_l1,
    "condition_hardest_half": condition_hardest_half_l1,
    "condition_empty_images": condition_empty_images_l1,
    "presence_bce": presence_bce,
    "mask_bce": mask_bce,
    "mask_dice": mask_dice,
}


def sample_timesteps(n: int, num_train_timesteps: int, final_fraction: float, device: torch.device) -> torch.Tensor:
    """t ~ U{0..T-1}, except a ``final_fraction`` share of items at T-1, the single inference step."""
    t = torch.randint(0, num_train_timesteps, (n,), device=device)
    final = torch.rand(n, device=device) < final_fraction
    return torch.where(final, torch.full_like(t, num_train_timesteps - 1), t)


def sdseg_loss(
    model: SDSegModel,
    denoiser: torch.nn.Module,
    batch: dict,
    weights: dict[str, float] | None = None,
    final_timestep_fraction: float = 0.0,
    mask_latent_std: float = 1.0,
    mask_cache: Callable[[torch.Tensor], torch.Tensor] | None = None,
) -> dict[str, torch.Tensor]:
    """The weighted sum of the loss terms on one batch (``loss``) and each weighted term by name.

    ``denoiser`` may be the distributed wrapper of ``model.denoiser``; the default weights are the
    preset default's (the paper's).
    ``mask_latent_std`` scales the std of the first stage's posterior z0 is drawn from (0: its mode);
    ``mask_cache`` (a ``MaskEncodingCache``) spares re-encoding masks seen before.
    """
    weights = TrainingConfig().loss_weights if weights is None else weights
    z0 = model.encode_masks(batch["mask"], posterior_std=mask_latent_std, cache=mask_cache)
    noise = torch.randn_like(z0)  # drawn before t, as always, so that a seed repeats earlier runs step by step
    last = model.scheduler.config.num_train_timesteps - 1
    t = sample_timesteps(len(z0), last + 1, final_timestep_fraction, z0.device)
    noise = noise * torch.where(t == last, model.config.terminal_noise_std, 1.0).view(-1, 1, 1, 1)  # as initial_noise
    z_t = model.scheduler.add_noise(z0, noise, t)
    output, c, presence = denoiser(z_t, t, batch["image"], batch.get("class_labels"))
    inputs = LossInputs(model, z0, z_t, t, noise, output, c, batch["mask"], presence)
    terms = {name: LOSS_TERMS[name](inputs) for name, weight in weights.items() if weight > 0}
    return {"loss": sum(weights[name] * value for name, value in terms.items()), **terms}
