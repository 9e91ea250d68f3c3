"""taef2: the tiny autoencoder distilled for the FLUX.2 latent space (32 channels, 8x), as a first stage.

It is diffusers' ``AutoencoderTiny`` (TAESD) layout with a ``pool`` branch in the three
blocks next to the latent, which diffusers does not have, so it lives here. Its latents
are deterministic (no posterior to sample). Like diffusers' tiny autoencoder it takes and
returns images in [-1, 1] and converts to the [0, 1] range it was trained on inside.

The upstream weights are two ``nn.Sequential`` state dicts (``taef2_encoder.pth``,
``taef2_decoder.pth``, fp16); ``TAEF2Autoencoder.from_original`` reads them, and
``save_pretrained`` writes the usual ``config.json`` + safetensors.
"""

from __future__ import annotations

from pathlib import Path

import torch
from diffusers.configuration_utils import ConfigMixin, register_to_config
from diffusers.models.autoencoders.autoencoder_tiny import AutoencoderTinyOutput
from diffusers.models.autoencoders.vae import DecoderOutput
from diffusers.models.modeling_utils import ModelMixin
from torch import nn

from ..errors import CheckpointError, ConfigError

ORIGINAL_FILES = ("taef2_encoder.pth", "taef2_decoder.pth")


def _conv(c_in: int, c_out: int, **kwargs) -> nn.Conv2d:
    return nn.Conv2d(c_in, c_out, kernel_size=3, padding=1, **kwargs)


class TinyBlock(nn.Module):
    """conv-ReLU-conv-ReLU-conv plus identity, then ReLU; with ``pooled``, first x += pool(x)."""

    def __init__(self, channels: int, pooled: bool = False):
        super().__init__()
        self.conv = nn.Sequential(_conv(channels, channels), nn.ReLU(), _conv(channels, channels), nn.ReLU(),
                                  _conv(channels, channels))
        self.pool = nn.Sequential(
            nn.Conv2d(channels, 4 * channels, 1, bias=False), nn.GroupNorm(4, 4 * channels), nn.ReLU(),
            nn.Conv2d(4 * channels, channels, 1, bias=False),
        ) if pooled else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.pool is not None:
            x = x + self.pool(x)
        return torch.relu(self.conv(x) + x)


def _pooled(index: int, count: int, pooled_blocks: int) -> bool:
    return index >= count - pooled_blocks


def check_levels(levels: int, downsamplings: int) -> None:
    """A vision encoder's ``first_levels`` take 0 up to as many levels as it downsamples."""
    if not 0 <= levels <= downsamplings:
        raise ConfigError(f"training.vision_encoder_frozen_levels {levels}: this vision encoder downsamples "
                          f"{downsamplings} times; use 0 to {downsamplings}")


class TinyEncoder(ModelMixin, ConfigMixin):
    """Image in [-1, 1] -> latent. The encoder of TAESD (``pooled_blocks=0``) and of taef2 (3).

    With ``layers.N`` keys, so diffusers' ``EncoderTiny`` weights load into it unchanged;
    it also serves as the vision encoder of a tiny first stage.
    """

    @register_to_config
    def __init__(
        self,
        in_channels: int = 3,
        latent_channels: int = 32,
        block_out_channels: tuple[int, ...] = (64, 64, 64, 64),
        num_blocks: tuple[int, ...] = (1, 3, 3, 3),
        pooled_blocks: int = 3,
    ):
        super().__init__()
        layers: list[nn.Module] = []
        total, seen = sum(num_blocks), 0
        for level, (width, count) in enumerate(zip(block_out_channels, num_blocks)):
            layers.append(_conv(in_channels, width) if level == 0
                          else _conv(block_out_channels[level - 1], width, stride=2, bias=False))
            for _ in range(count):
                layers.append(TinyBlock(width, _pooled(seen, total, pooled_blocks)))
                seen += 1
        layers.append(_conv(block_out_channels[-1], latent_channels))
        self.layers = nn.Sequential(*layers)

    @property
    def out_channels(self) -> int:
        """The channels of c: the mask latent's (no extra features)."""
        return self.config.latent_channels

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return self.layers(image.add(1).div(2))

    def first_levels(self, levels: int) -> nn.Module:
        """The layers up to and including the ``levels``-th 2x downsampling: the input conv, then per
        level its blocks and the stride-2 conv that leaves it. The costliest layers (full resolution)."""
        check_levels(levels, len(self.config.num_blocks) - 1)
        return self.layers[: sum(1 + n for n in self.config.num_blocks[:levels]) + (1 if levels else 0)]


class TinyDecoder(nn.Module):
    """Latent -> image in [-1, 1]: soft clamp, conv, then per level blocks, 2x upsample, conv."""

    def __init__(self, latent_channels: int, block_out_channels: tuple[int, ...], num_blocks: tuple[int, ...],
                 pooled_blocks: int, out_channels: int = 3):
        super().__init__()
        # index 0 is upstream's soft clamp (no weights; done in forward), kept so the keys match theirs
        layers: list[nn.Module] = [nn.Identity(), _conv(latent_channels, block_out_channels[0]), nn.ReLU()]
        seen = 0
        for level, (width, count) in enumerate(zip(block_out_channels, num_blocks)):
            for _ in range(count):
                layers.append(TinyBlock(width, seen < pooled_blocks))
                seen += 1
            last = level == len(block_out_channels) - 1
            if not last:
                layers.append(nn.Upsample(scale_factor=2, mode="nearest"))
            layers.append(_conv(width, out_channels if last else block_out_channels[level + 1], bias=last))
        self.layers = nn.Sequential(*layers)

    def forward(self, latent: torch.Tensor) -> torch.Tensor:
        return self.layers(torch.tanh(latent / 3) * 3).mul(2).sub(1)


class TAEF2Autoencoder(ModelMixin, ConfigMixin):
    """A frozen first stage with ``AutoencoderTiny``'s interface: ``encode(x).latents``, ``decode(z).sample``."""

    @register_to_config
    def __init__(
        self,
        in_channels: int = 3,
        out_channels: int = 3,
        latent_channels: int = 32,
        encoder_block_out_channels: tuple[int, ...] = (64, 64, 64, 64),
        decoder_block_out_channels: tuple[int, ...] = (64, 64, 64, 64),
        num_encoder_blocks: tuple[int, ...] = (1, 3, 3, 3),
        num_decoder_blocks: tuple[int, ...] = (3, 3, 3, 1),
        pooled_blocks: int = 3,
    ):
        super().__init__()
        self.encoder = TinyEncoder(in_channels, latent_channels, encoder_block_out_channels, num_encoder_blocks,
                                   pooled_blocks)
        self.decoder = TinyDecoder(latent_channels, decoder_block_out_channels, num_decoder_blocks, pooled_blocks,
                                   out_channels)

    def encode(self, image: torch.Tensor) -> AutoencoderTinyOutput:
        return AutoencoderTinyOutput(latents=self.encoder(image))

    def decode(self, latent: torch.Tensor) -> DecoderOutput:
        return DecoderOutput(sample=self.decoder(latent))

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return self.decode(self.encode(image).latents).sample

    @classmethod
    def from_original(cls, folder: str | Path) -> "TAEF2Autoencoder":
        """Read the upstream ``taef2_encoder.pth`` + ``taef2_decoder.pth`` (weights only), in float32."""
        folder = Path(folder)
        model = cls()
        weights: dict[str, torch.Tensor] = {}
        for part, name in zip(("encoder", "decoder"), ORIGINAL_FILES):
            try:
                state = torch.load(folder / name, map_location="cpu", weights_only=True)
            except (OSError, RuntimeError) as exc:
                raise CheckpointError(f"{folder / name}: cannot read taef2 weights ({exc})") from exc
            weights.update({f"{part}.layers.{key}": value.float() for key, value in state.items()})
        expected = model.state_dict()
        wrong = sorted(set(expected) ^ set(weights)) or [
            k for k, v in weights.items() if v.shape != expected[k].shape
        ]
        if wrong:
            raise CheckpointError(
                f"{folder}: not the taef2 layout ({len(wrong)} keys missing, unexpected or of another shape, "
                f"e.g. {wrong[:5]}); pass the folder holding {' and '.join(ORIGINAL_FILES)}"
            )
        model.load_state_dict(weights)
        return model.eval()


def is_original_taef2(folder: Path) -> bool:
    return all((folder / name).is_file() for name in ORIGINAL_FILES)
