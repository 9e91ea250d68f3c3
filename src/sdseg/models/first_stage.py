"""The first stage: a diffusers ``AutoencoderKL`` that maps masks to latents and back.

Masks (0/1, one channel) enter as three identical channels in [-1, 1], the range of
the images the autoencoder was built for; decoded masks are the mean of the three
output channels mapped back to [0, 1], as in SDSeg.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from diffusers import AutoencoderKL

from ..errors import CheckpointError


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


def load_autoencoder(path: str | Path) -> AutoencoderKL:
    """Load a first stage saved by ``save_pretrained`` (``config.json`` + safetensors)."""
    path = Path(path)
    if not (path / "config.json").is_file():
        raise CheckpointError(
            f"{path}: no autoencoder here (expected config.json + diffusion_pytorch_model.safetensors); "
            "train one with `sdseg train-autoencoder` and pass its output folder"
        )
    try:
        return AutoencoderKL.from_pretrained(path, local_files_only=True)
    except (OSError, ValueError, RuntimeError) as exc:
        raise CheckpointError(f"{path}: cannot load the autoencoder ({exc})") from exc


def downsampling_factor(vae: AutoencoderKL) -> int:
    return 2 ** (len(vae.config.block_out_channels) - 1)


def mask_to_ae_input(mask: torch.Tensor) -> torch.Tensor:
    """(B, 1, H, W) in {0, 1} -> (B, 3, H, W) in [-1, 1]."""
    return (mask * 2.0 - 1.0).expand(-1, 3, -1, -1)


def ae_output_to_probability(decoded: torch.Tensor) -> torch.Tensor:
    """(B, 3, H, W) decoder output -> (B, 1, H, W) soft mask in [0, 1]."""
    return ((decoded.mean(dim=1, keepdim=True) + 1.0) / 2.0).clamp(0.0, 1.0)
