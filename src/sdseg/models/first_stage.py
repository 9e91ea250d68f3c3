"""The first stage: a frozen autoencoder that maps masks to latents and back.

Three kinds are supported, all with images in [-1, 1]: diffusers' ``AutoencoderKL``
(SD's kl-f8, or one trained with ``sdseg train-autoencoder``; latents are posterior
samples), diffusers' ``AutoencoderTiny`` (TAESD) and taef2 (deterministic latents).
Masks (0/1, one channel) enter as three identical channels in [-1, 1]; decoded masks are
the mean of the three output channels mapped back to [0, 1], as in SDSeg.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch
from diffusers import AutoencoderKL, AutoencoderTiny
from diffusers.models.autoencoders.vae import DiagonalGaussianDistribution
from diffusers.models.modeling_utils import ModelMixin

from ..errors import CheckpointError
from .ldm_checkpoint import load_kl_autoencoder
from .taef2 import TAEF2Autoencoder, is_original_taef2

FIRST_STAGES: dict[str, type[ModelMixin]] = {
    cls.__name__: cls for cls in (AutoencoderKL, AutoencoderTiny, TAEF2Autoencoder)
}


def build_autoencoder(config: dict[str, Any], image_size: int) -> AutoencoderKL:
    """An untrained KL autoencoder from a preset's ``autoencoder`` section.

    The number of blocks sets the downsampling (4 blocks = 8x, as SD's kl-f8).
    """
    levels = len(config["block_out_channels"])
    return AutoencoderKL(
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D",) * levels,
        up_block_types=("UpDecoderBlock2D",) * levels,
        sample_size=image_size,
        **config,
    )


def load_autoencoder(path: str | Path, config: dict | str | Path | None = None) -> ModelMixin:
    """A first stage from any layout a user may have, never from the network.

    - a folder with ``config.json`` + safetensors (``save_pretrained`` of any supported kind,
      e.g. sd-vae-ft-mse, TAESD, or sdseg's own), or a diffusers pipeline folder with ``vae/``;
    - the upstream taef2 folder (``taef2_encoder.pth`` + ``taef2_decoder.pth``);
    - a CompVis/LDM checkpoint file (``first_stage_model.*`` keys, a full SD v1 file, or a
      standalone kl-f8 ``model.ckpt``), converted with diffusers' converter; ``config`` is the
      diffusers config for it when the shapes alone do not tell (e.g. other norm groups).
    """
    path = Path(path)
    if path.is_file():
        return load_kl_autoencoder(path, config).eval()
    if is_original_taef2(path):
        return TAEF2Autoencoder.from_original(path)
    if not (path / "config.json").is_file() and (path / "vae" / "config.json").is_file():
        path = path / "vae"
    if not (path / "config.json").is_file():
        raise CheckpointError(
            f"{path}: no autoencoder here (expected config.json + diffusion_pytorch_model.safetensors, the taef2 "
            "files, or an LDM .ckpt/.safetensors file); train one with `sdseg train-autoencoder` and pass its "
            "output folder"
        )
    name = json.loads((path / "config.json").read_text()).get("_class_name", "AutoencoderKL")
    if name not in FIRST_STAGES:
        raise CheckpointError(f"{path}: a {name}, not a first stage sdseg supports ({', '.join(FIRST_STAGES)})")
    if name == "AutoencoderKL":  # strict: a folder whose weights miss keys of its config is refused
        return load_kl_autoencoder(path).eval()
    try:
        return FIRST_STAGES[name].from_pretrained(path, local_files_only=True).eval()
    except (OSError, ValueError, RuntimeError) as exc:
        raise CheckpointError(f"{path}: cannot load the autoencoder ({exc})") from exc


def downsampling_factor(vae: ModelMixin) -> int:
    channels = getattr(vae.config, "block_out_channels", None) or vae.config.encoder_block_out_channels
    return 2 ** (len(channels) - 1)


def encoder_output(vae: ModelMixin, image: torch.Tensor) -> torch.Tensor:
    """The deterministic part of encoding: a KL first stage's posterior parameters (mean and log-variance
    stacked on the channels), a tiny one's latent. What a cache may keep; ``latents_from`` draws the rest."""
    encoded = vae.encode(image)
    return encoded.latent_dist.parameters if isinstance(vae, AutoencoderKL) else encoded.latents


def latents_from(
    vae: ModelMixin, encoded: torch.Tensor, generator: torch.Generator | None = None, posterior_std: float = 1.0
) -> torch.Tensor:
    """Latents from ``encoder_output``: a KL posterior's sample with its std times ``posterior_std`` (1: the
    posterior's own sample, 0: its mode), else as is."""
    if not isinstance(vae, AutoencoderKL):
        return encoded
    posterior = DiagonalGaussianDistribution(encoded)
    if posterior_std == 0:
        return posterior.mode()
    posterior.std = posterior.std * posterior_std
    return posterior.sample(generator)


def mask_to_ae_input(mask: torch.Tensor) -> torch.Tensor:
    """(B, 1, H, W) in {0, 1} -> (B, 3, H, W) in [-1, 1]."""
    return (mask * 2.0 - 1.0).expand(-1, 3, -1, -1)


def ae_output_to_probability(decoded: torch.Tensor) -> torch.Tensor:
    """(B, 3, H, W) decoder output -> (B, 1, H, W) soft mask in [0, 1]."""
    return ((decoded.mean(dim=1, keepdim=True) + 1.0) / 2.0).clamp(0.0, 1.0)


def mask_round_trip(vae: ModelMixin, masks: torch.Tensor) -> torch.Tensor:
    """(B, 1, H, W) masks encoded (posterior mode) and decoded -> (B, 1, H, W) soft masks: what of a mask the
    first stage keeps, the ceiling SDSeg can reach."""
    latent = vae.encode(mask_to_ae_input(masks)).latent_dist.mode()
    return ae_output_to_probability(vae.decode(latent).sample)
