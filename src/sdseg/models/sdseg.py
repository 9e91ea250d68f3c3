"""SDSeg: a frozen first stage, a trainable vision encoder and a denoising UNet.

The UNet sees ``concat(z_t, c)`` -- the noisy mask latent and the image latent. What it
predicts is the scheduler's ``prediction_type``: the noise (``epsilon``, the paper), the
velocity (``v_prediction``) or the clean latent (``sample``); ``predicted_original`` turns
any of them into x0. Because training supervises that x0, one UNet call at t = T-1 from
pure noise already gives a usable mask latent: that is SDSeg's single-step inference.
The saved scheduler config carries the parameterization, so prediction uses what training used.

With K > 1 foreground classes the UNet gets a class embedding and each class has its
own binary mask latent; inference samples every class from the same noise (the K classes
of a batch as one B*K batch) and a pixel takes the class with the highest probability, or
background when no class reaches 0.5.

A model folder may also hold ``light_decoder/``, a small decoder distilled from the first
stage's (``sdseg distill-decoder``); ``decoder="light"`` uses it in place of the full one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from diffusers import DDIMScheduler, DDPMScheduler, UNet2DModel
from diffusers.models.modeling_utils import ModelMixin
from torch import nn

from ..config import Preset
from ..data.label_scheme import LabelScheme
from ..errors import CheckpointError
from ..io_utils import atomic_path
from .first_stage import (
    ae_output_to_probability, downsampling_factor, encoder_output, latents_from, load_autoencoder, mask_to_ae_input,
)
from .ldm_checkpoint import load_ldm_unet
from .light_decoder import LightMaskDecoder
from .vision_encoder import VisionEncoder, load_vision_encoder, vision_encoder_for

CONFIG_NAME = "sdseg.json"
COMPONENTS = ("first_stage", "vision_encoder", "unet", "scheduler")
LIGHT_DECODER = "light_decoder"  # optional component, written by ``sdseg distill-decoder``
DECODERS = ("full", "light")


@dataclass
class SDSegConfig:
    """What a saved model needs beyond its components' own configs."""

    image_size: int
    scale_factor: float = 1.0  # 1 / std of the first training batch's mask latents
    preset: str = "custom"
    num_classes: int = 1  # foreground classes; > 1 adds a class embedding to the UNet
    # nnU-Net regions (data/label_scheme.py): the label values each class covers, and the label each is painted with
    regions: list[list[int]] | None = None
    regions_class_order: list[int] | None = None
    normalization: list[str] | None = None  # per input channel, for volumes (see data.normalization)
    # The std of z_T, the single step's input, in training at t = T-1 and in prediction: 1 is diffusion's; 0 gives
    # the UNet zeros there (Lotus-D's deterministic single step), so it reads the mask from c alone instead of learning
    # to ignore noise. Below 1 only with a zero-terminal-SNR schedule, where z_T holds no trace of z0 either way.
    # On cpu128, 0 trailed val per step at two seeds (docs/RESULTS.md, seventy-fifth round): no preset sets it.
    terminal_noise_std: float = 1.0


# x0 = A * z_t + B * output for each parameterization, with a = sqrt(alpha_bar_t), s = sqrt(1 - alpha_bar_t)
# (z_t = a * z0 + s * eps and v = a * eps - s * z0); DDIM's step uses the same identities.
X0_COEFFICIENTS = {
    "epsilon": lambda a, s: (1 / a, -s / a),
    "v_prediction": lambda a, s: (a, -s),
    "sample": lambda a, s: (torch.zeros_like(a), torch.ones_like(a)),
}
PREDICTION_TYPES = tuple(X0_COEFFICIENTS)


def predicted_original(scheduler: DDPMScheduler, z_t: torch.Tensor, t: torch.Tensor, output: torch.Tensor):
    """The clean latent x0 implied by the UNet ``output`` at ``t`` under the scheduler's prediction_type."""
    alpha = scheduler.alphas_cumprod.to(z_t.device)[t].float().view(-1, 1, 1, 1)
    a, b = X0_COEFFICIENTS[scheduler.config.prediction_type](alpha.sqrt(), (1 - alpha).sqrt())
    return a * z_t + b * output


def prediction_target(scheduler: DDPMScheduler, z0: torch.Tensor, noise: torch.Tensor, t: torch.Tensor):
    """What the UNet should output for z_t = q(z0, noise, t) under the scheduler's prediction_type."""
    targets = {"epsilon": lambda: noise, "sample": lambda: z0,
               "v_prediction": lambda: scheduler.get_velocity(z0, noise, t)}
    return targets[scheduler.config.prediction_type]()


class SDSegDenoiser(nn.Module):
    """The trainable half of SDSeg: image -> latent c, and (z_t, t, c) -> the UNet's prediction.

    Training prepares this module alone, so DDP sees one forward per step and
    checkpoints hold only trainable weights, never the frozen first stage.
    """

    def __init__(self, vision_encoder: ModelMixin, unet: UNet2DModel, scale_factor: float = 1.0):
        super().__init__()
        self.vision_encoder = vision_encoder
        self.unet = unet
        self.scale_factor = scale_factor

    def condition(self, image: torch.Tensor) -> torch.Tensor:
        """Image (B, C, H, W) in [-1, 1] -> conditioning latent: its first channels on the same scale as
        z0 (the mask latent estimate), then the vision encoder's ``extra_channels`` of features, if any."""
        return self.vision_encoder(image) * self.scale_factor

    def predict(
        self, z_t: torch.Tensor, t: torch.Tensor, c: torch.Tensor, class_labels: torch.Tensor | None = None
    ) -> torch.Tensor:
        """The UNet output (noise, velocity or x0, by the scheduler's prediction_type).

        ``class_labels`` (0-based foreground class per item) only for multi-class models.
        """
        return self.unet(torch.cat([z_t, c], dim=1), t, class_labels=class_labels).sample

    @property
    def has_presence_head(self) -> bool:
        return bool(self.vision_encoder.config.get("presence_head", False))

    def presence_logit(self, c: torch.Tensor) -> torch.Tensor | None:
        """(B,) logits that each image holds foreground, from the vision encoder's presence head (None without)."""
        return self.vision_encoder.presence_logit(c) if self.has_presence_head else None

    def forward(
        self, z_t: torch.Tensor, t: torch.Tensor, image: torch.Tensor, class_labels: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
        """(UNet output, image latent c, presence logit or None): training's losses may supervise all three."""
        c = self.condition(image)
        return self.predict(z_t, t, c, class_labels), c, self.presence_logit(c)


class SDSegModel(nn.Module):
    """The whole segmenter: frozen first stage + denoiser + noise schedule, saved as one folder."""

    def __init__(
        self,
        vae: ModelMixin,
        vision_encoder: ModelMixin,
        unet: UNet2DModel,
        scheduler: DDPMScheduler,
        config: SDSegConfig,
        light_decoder: LightMaskDecoder | None = None,
    ):
        super().__init__()
        latent = vae.config.latent_channels
        if vision_encoder.config.latent_channels != latent:
            raise CheckpointError(
                f"the vision encoder gives {vision_encoder.config.latent_channels} latent channels, "
                f"the first stage {latent}"
            )
        expected_in = latent + vision_encoder.out_channels
        if unet.config.in_channels != expected_in or unet.config.out_channels != latent:
            raise CheckpointError(
                f"the UNet takes {unet.config.in_channels} and gives {unet.config.out_channels} channels, but the "
                f"first stage has {latent} latent channels and c {vision_encoder.out_channels} "
                f"(expected {expected_in} in, {latent} out)"
            )
        if scheduler.config.prediction_type not in PREDICTION_TYPES:
            raise CheckpointError(
                f"scheduler prediction_type {scheduler.config.prediction_type!r}: use one of {', '.join(PREDICTION_TYPES)}"
            )
        if scheduler.config.get("rescale_betas_zero_snr") and scheduler.config.prediction_type == "epsilon":
            # at zero terminal SNR z_T holds no trace of z0, so noise predicted there gives no x0 (z0 = z_t / 0)
            raise CheckpointError(
                "scheduler rescale_betas_zero_snr needs prediction_type v_prediction or sample: with epsilon "
                "the single step at t = T-1 cannot recover the mask latent"
            )
        if vision_encoder.config.get("presence_head", False) and config.num_classes > 1:
            raise CheckpointError(
                f"the vision encoder has a presence head, which says whether an image holds any foreground, but the "
                f"model has {config.num_classes} classes: it serves one-class models; set "
                "vision_encoder.presence_head=false"
            )
        if not 0 <= config.terminal_noise_std <= 1:
            raise CheckpointError(f"terminal_noise_std {config.terminal_noise_std}: use a value in [0, 1]")
        if config.terminal_noise_std != 1 and not scheduler.config.get("rescale_betas_zero_snr"):
            # at T-1 such a schedule keeps sqrt(alpha_bar) * z0 in z_t: without noise that is z0 itself, which
            # training would learn to read and prediction, starting from z_T alone, could never give
            raise CheckpointError(
                f"terminal_noise_std {config.terminal_noise_std} needs scheduler rescale_betas_zero_snr=true; "
                "keep it at 1 with this schedule"
            )
        if config.regions is not None and not len(config.regions) == len(config.regions_class_order or ()) == \
                config.num_classes:
            raise CheckpointError(
                f"the model has {config.num_classes} classes but {len(config.regions)} regions and "
                f"regions_class_order {config.regions_class_order}: one region and one painting label per class"
            )
        embeds = unet.config.num_class_embeds
        if (config.num_classes > 1) != (embeds is not None) or (embeds is not None and embeds < config.num_classes):
            raise CheckpointError(
                f"the model has {config.num_classes} foreground class(es) but the UNet has "
                f"{embeds or 'no'} class embeddings"
            )
        self.vae = vae.requires_grad_(False).eval()
        self.denoiser = SDSegDenoiser(vision_encoder, unet, config.scale_factor)
        self.scheduler = scheduler
        self.config = config
        # DDIM with "trailing" spacing starts at t = T-1, so steps=1 is exactly SDSeg's single step.
        self.sampler = DDIMScheduler.from_config(
            scheduler.config, timestep_spacing="trailing", set_alpha_to_one=True, clip_sample=False
        )
        self.light_decoder: LightMaskDecoder | None = None
        if light_decoder is not None:
            self.set_light_decoder(light_decoder)

    def set_light_decoder(self, decoder: LightMaskDecoder) -> None:
        """Use ``decoder`` for ``decoder="light"``; it must take this first stage's latents at its scale."""
        expected = (self.latent_channels, downsampling_factor(self.vae))
        found = (decoder.config.latent_channels, decoder.config.upsample_factor)
        if found != expected:
            raise CheckpointError(
                f"the light decoder maps {found[0]} latent channels up {found[1]}x, the first stage "
                f"{expected[0]} channels at 1/{expected[1]}; distill a new one with `sdseg distill-decoder`"
            )
        self.light_decoder = decoder

    @classmethod
    def from_preset(
        cls,
        preset: Preset,
        vae: ModelMixin,
        labels: LabelScheme = LabelScheme.plain(1),
        in_channels: int | None = None,
        normalization: list[str] | None = None,
        unet_init: str | Path | None = None,
        vision_encoder_init: ModelMixin | None = None,
    ) -> "SDSegModel":
        """A new model around a trained first stage: vision encoder from its encoder, fresh UNet.

        ``labels``: the foreground classes (or nnU-Net regions) it segments, one class embedding each when > 1.
        ``in_channels`` is the number of image channels (default: the first stage's, 3).
        ``unet_init``: an LDM UNet checkpoint to fill the preset's UNet from (its conv_in widened
        with zeros for the image latent, as in the paper) instead of random weights.
        ``vision_encoder_init``: another autoencoder (e.g. the pretrained taef2) whose encoder and
        architecture the vision encoder takes instead of the first stage's.
        """
        latent = vae.config.latent_channels
        # the UNet is built before the vision encoder, as before extra_channels existed, so that a seed still
        # draws the same initial weights (and a preset repeats its earlier runs' curves step by step)
        condition_channels = VisionEncoder.channels_of_c(latent, preset.vision_encoder.get("extra_channels", 0))
        unet_config = dict(
            sample_size=preset.image_size // downsampling_factor(vae),
            in_channels=latent + condition_channels,
            out_channels=latent,
            num_class_embeds=labels.num_classes if labels.num_classes > 1 else None,
            **preset.unet,
        )
        unet = load_ldm_unet(unet_init, unet_config) if unet_init is not None else UNet2DModel(**unet_config)
        scheduler = DDPMScheduler(**preset.scheduler)
        config = SDSegConfig(image_size=preset.image_size, preset=preset.name, num_classes=labels.num_classes,
                             **labels.config(), normalization=normalization,
                             terminal_noise_std=preset.training.terminal_noise_std)
        vision_encoder = vision_encoder_for(vision_encoder_init or vae, in_channels, preset.vision_encoder, latent)
        return cls(vae, vision_encoder, unet, scheduler, config)

    @property
    def label_scheme(self) -> LabelScheme:
        """How the model's per-class masks map to label values and back."""
        return LabelScheme.from_config(self.config.num_classes, self.config.regions, self.config.regions_class_order)

    @property
    def latent_channels(self) -> int:
        return self.vae.config.latent_channels

    @property
    def latent_size(self) -> int:
        return self.config.image_size // downsampling_factor(self.vae)

    def set_scale_factor(self, scale_factor: float) -> None:
        self.config.scale_factor = float(scale_factor)
        self.denoiser.scale_factor = float(scale_factor)

    def parameter_counts(self) -> dict[str, int]:
        modules = {"first_stage": self.vae, "vision_encoder": self.denoiser.vision_encoder, "unet": self.denoiser.unet}
        if self.light_decoder is not None:
            modules[LIGHT_DECODER] = self.light_decoder
        return {name: sum(p.numel() for p in module.parameters()) for name, module in modules.items()}

    @torch.no_grad()
    def encode_masks(
        self,
        mask: torch.Tensor,
        generator: torch.Generator | None = None,
        posterior_std: float = 1.0,
        cache: Callable[[torch.Tensor], torch.Tensor] | None = None,
    ) -> torch.Tensor:
        """Mask (B, 1, H, W) -> scaled latent z0: a KL first stage's posterior sample with its std times
        ``posterior_std`` (0: the posterior's mode).

        ``cache`` (training's ``MaskEncodingCache``) maps masks to the first stage's ``encoder_output``.
        """
        encoded = cache(mask) if cache is not None else encoder_output(self.vae, mask_to_ae_input(mask))
        return latents_from(self.vae, encoded, generator, posterior_std) * self.config.scale_factor

    def initial_noise(self, seeds: list[int]) -> torch.Tensor:
        """z_T for each item from its own seed, so a prediction never depends on batch composition."""
        shape = (self.latent_channels, self.latent_size, self.latent_size)
        noise = torch.stack([torch.randn(shape, generator=torch.Generator().manual_seed(s)) for s in seeds])
        return noise * self.config.terminal_noise_std

    @torch.no_grad()
    def sample_latents(
        self, c: torch.Tensor, noise: torch.Tensor, steps: int = 1, class_labels: torch.Tensor | None = None
    ) -> torch.Tensor:
        """Reverse diffusion with DDIM (eta = 0) from ``noise``; ``steps=1`` is the single step."""
        if steps < 1 or steps > self.scheduler.config.num_train_timesteps:
            raise ValueError(f"steps must be in 1..{self.scheduler.config.num_train_timesteps}, not {steps}")
        self.sampler.set_timesteps(steps, device=c.device)
        z = noise.to(c.device)  # float32 even under autocast: the DDIM update is precision-sensitive
        for t in self.sampler.timesteps:
            output = self.denoiser.predict(z, t.expand(len(z)), c, class_labels)
            z = self.sampler.step(output, t, z).prev_sample
        return z

    @torch.no_grad()
    def decode_probabilities(self, z0: torch.Tensor, decoder: str = "full") -> torch.Tensor:
        """Scaled latent -> soft mask (B, 1, H, W) in [0, 1], by the first stage's decoder or the light one."""
        if decoder not in DECODERS:
            raise ValueError(f"decoder must be one of {DECODERS}, not {decoder!r}")
        if decoder == "full":
            return ae_output_to_probability(self.vae.decode(z0 / self.config.scale_factor).sample)
        if self.light_decoder is None:
            raise CheckpointError(
                f"this model folder has no {LIGHT_DECODER}/; train one with `sdseg distill-decoder DATA -m MODEL "
                "-o OUTPUT` and predict with OUTPUT, or use the full decoder"
            )
        return self.light_decoder(z0)

    @torch.no_grad()
    def predict_proba(
        self, image: torch.Tensor, seeds: list[int], steps: int = 1, decoder: str = "full"
    ) -> torch.Tensor:
        """Images at the model's size -> soft masks (B, K, H, W), one channel per foreground class.

        Each class is sampled from the same per-image noise and the image latent is computed
        once; the K classes of a batch go through the UNet and decoder together, as B*K items.
        ``decoder="light"`` decodes with the distilled light decoder instead of the first stage's.
        A model with a presence head gives an empty mask to each image the head calls empty (logit < 0).
        """
        c = self.denoiser.condition(image)
        noise = self.initial_noise(seeds)
        classes = self.config.num_classes
        if classes == 1:
            probability = self.decode_probabilities(self.sample_latents(c, noise, steps), decoder)
            presence = self.denoiser.presence_logit(c)
            return probability if presence is None else probability * (presence >= 0).view(-1, 1, 1, 1)
        labels = torch.arange(classes, device=c.device).repeat(len(image))  # item-major: (b0k0, b0k1, ...)
        z0 = self.sample_latents(c.repeat_interleave(classes, 0), noise.repeat_interleave(classes, 0), steps, labels)
        return self.decode_probabilities(z0, decoder).view(len(image), classes, *image.shape[-2:])

    def save_pretrained(self, path: str | Path) -> None:
        """Write one folder per component (config.json + safetensors), atomically as a whole."""
        with atomic_path(path) as tmp:
            tmp.mkdir()
            self.vae.save_pretrained(tmp / "first_stage")
            self.denoiser.vision_encoder.save_pretrained(tmp / "vision_encoder")
            self.denoiser.unet.save_pretrained(tmp / "unet")
            self.scheduler.save_pretrained(tmp / "scheduler")
            (tmp / CONFIG_NAME).write_text(json.dumps(asdict(self.config), indent=2) + "\n")
            if self.light_decoder is not None:
                self.light_decoder.save_pretrained(tmp / LIGHT_DECODER)

    @classmethod
    def from_pretrained(cls, path: str | Path) -> "SDSegModel":
        path = Path(path)
        missing = [p for p in (CONFIG_NAME, *COMPONENTS) if not (path / p).exists()]
        if missing:
            raise CheckpointError(
                f"{path}: not an sdseg model folder (missing {', '.join(missing)}); "
                "pass the `best` or `last` folder written by `sdseg train`"
            )
        try:
            config = SDSegConfig(**json.loads((path / CONFIG_NAME).read_text()))
            vision_encoder = load_vision_encoder(path / "vision_encoder")
            unet = UNet2DModel.from_pretrained(path / "unet", local_files_only=True)
            scheduler = DDPMScheduler.from_pretrained(path / "scheduler", local_files_only=True)
            light_decoder = (LightMaskDecoder.from_pretrained(path / LIGHT_DECODER, local_files_only=True)
                             if (path / LIGHT_DECODER).exists() else None)
        except (OSError, ValueError, TypeError, RuntimeError) as exc:
            raise CheckpointError(f"{path}: cannot load the model ({exc})") from exc
        model = cls(load_autoencoder(path / "first_stage"), vision_encoder, unet, scheduler, config, light_decoder)
        return model.eval()

