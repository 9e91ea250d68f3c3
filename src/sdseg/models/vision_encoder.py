"""The vision encoder: SDSeg's trainable image-to-latent network.

It has the first stage encoder's architecture and starts from its weights, so at step 0
image latents already live in the mask latent space: ``VisionEncoder`` (encoder + quant
conv, posterior mean) for a KL first stage, ``TinyEncoder`` for TAESD and taef2.
It may also start from another autoencoder's encoder (e.g. the pretrained taef2 around a
self-trained mask first stage): then only its output layers, sized for the mask latent
space, start from scratch. A preset may change a KL vision encoder's architecture (its
``vision_encoder`` section, e.g. more width for real images than a mask autoencoder needs, or
``image_downscale``: see the image at a half or a quarter of the mask's size, one level fewer
for each halving, which drops the costliest full-resolution level while z0 keeps its detail --
averaged (``image_downscale_mode`` "average") or, with "unshuffle", each 2x2 block's pixels stacked
as channels (space-to-depth), so that the cheaper encoder still sees every pixel;
``extra_channels``: feature channels c carries for the UNet beyond the mask latent's, which the
condition losses leave free, so that the image reaches the UNet through more than 4 channels;
``layers_per_block`` as a list: ResNet blocks per level, e.g. more depth only where maps are small;
``standardize_image``: each image's channels shifted and scaled to mean 0 and std 1, so that lighting and
colour that vary between centres and scanners do not have to be learned away;
``presence_head``: a small head on c that says whether the image holds any foreground at all, trained by the
``presence_bce`` loss term and used by prediction to empty the masks of images it calls empty);
tensors whose name and shape still match start from the first stage's, the others from scratch,
unless ``widen`` is true: then an encoder wider by whole factors starts from the first stage's
encoder with its channels duplicated (``widening``), every tensor from learned weights.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F

from diffusers import AutoencoderKL, AutoencoderTiny
from diffusers.configuration_utils import ConfigMixin, register_to_config
from diffusers.models.autoencoders.vae import Encoder
from diffusers.models.modeling_utils import ModelMixin
from diffusers.models.resnet import ResnetBlock2D
from torch import nn

from ..errors import CheckpointError, ConfigError
from .taef2 import TAEF2Autoencoder, TinyEncoder, check_levels
from .widening import widen_state_dict


def load_matching(model: nn.Module, weights: dict[str, torch.Tensor]) -> None:
    """Load the tensors of ``weights`` whose name and shape match ``model``'s; the rest keep their init.

    Their names are kept in ``model.pretrained_names``, so that training can give the tensors that
    start from learned weights another rate than those that start from scratch.
    """
    own = model.state_dict()
    matching = {k: v for k, v in weights.items() if k in own and own[k].shape == v.shape}
    model.load_state_dict(matching, strict=False)
    model.pretrained_names = frozenset(matching)


def widen_input_conv(weights: dict[str, torch.Tensor], key: str, in_channels: int) -> None:
    """Adapt a pretrained input conv to ``in_channels`` image channels (e.g. FLAIR + T1c), in place.

    Each new channel gets the mean of the pretrained filters over their input channels, scaled so
    that a grey image replicated to every channel gives the pretrained response.
    """
    pretrained = weights[key]
    if in_channels != pretrained.shape[1]:
        weights[key] = pretrained.mean(dim=1, keepdim=True).repeat(1, in_channels, 1, 1) * (
            pretrained.shape[1] / in_channels
        )


DOWNSCALE_MODES = ("average", "unshuffle")
PRESENCE_WIDTH = 64  # the presence head's feature channels


def halvings(image_downscale: int) -> int:
    """How many levels an ``image_downscale`` removes (its base-2 log); only powers of two keep c at z0's size."""
    if not isinstance(image_downscale, int) or image_downscale < 1 or image_downscale & (image_downscale - 1):
        raise ConfigError(f"vision_encoder.image_downscale {image_downscale!r}: use 1, 2, 4 or another power of two")
    return image_downscale.bit_length() - 1


def blocks_per_level(layers_per_block: int | list[int], levels: int) -> list[int]:
    """ResNet blocks at each level: one count for all (diffusers' ``Encoder``) or one per level."""
    counts = [layers_per_block] * levels if isinstance(layers_per_block, int) else list(layers_per_block)
    if len(counts) != levels or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in counts):
        raise ConfigError(f"vision_encoder.layers_per_block {layers_per_block!r}: use a whole number >= 1 or one "
                          f"per level ({levels} levels)")
    return counts


class VisionEncoder(ModelMixin, ConfigMixin):
    """Encodes an image to the mean of the first stage's posterior (deterministic conditioning)."""

    @register_to_config
    def __init__(
        self,
        in_channels: int = 3,
        latent_channels: int = 4,
        block_out_channels: tuple[int, ...] = (64,),
        layers_per_block: int | list[int] = 1,
        norm_num_groups: int = 32,
        act_fn: str = "silu",
        mid_block_add_attention: bool = True,
        image_downscale: int = 1,
        extra_channels: int = 0,
        standardize_image: bool = False,
        image_downscale_mode: str = "average",
        presence_head: bool = False,
    ):
        super().__init__()
        halvings(image_downscale)
        if image_downscale_mode not in DOWNSCALE_MODES:
            raise ConfigError(f"vision_encoder.image_downscale_mode {image_downscale_mode!r}: use one of "
                              f"{', '.join(DOWNSCALE_MODES)}")
        if not isinstance(standardize_image, bool):
            raise ConfigError(f"vision_encoder.standardize_image {standardize_image!r}: use true or false")
        if not isinstance(presence_head, bool):
            raise ConfigError(f"vision_encoder.presence_head {presence_head!r}: use true or false")
        if not isinstance(extra_channels, int) or extra_channels < 0:
            raise ConfigError(f"vision_encoder.extra_channels {extra_channels!r}: use a whole number >= 0")
        counts = blocks_per_level(layers_per_block, len(block_out_channels))
        shared = min(counts)  # what diffusers' Encoder builds at every level; the rest is appended below
        channels = self.out_channels  # the config is registered before __init__ runs
        unshuffled = image_downscale_mode == "unshuffle"
        self.encoder = Encoder(
            in_channels=in_channels * image_downscale**2 if unshuffled else in_channels,
            out_channels=channels,
            down_block_types=("DownEncoderBlock2D",) * len(block_out_channels),
            block_out_channels=tuple(block_out_channels),
            layers_per_block=shared,
            norm_num_groups=norm_num_groups,
            act_fn=act_fn,
            double_z=True,
            mid_block_add_attention=mid_block_add_attention,
        )
        for block, width, count in zip(self.encoder.down_blocks, block_out_channels, counts):
            # the blocks Encoder would build at this depth (same names, so the same checkpoints load)
            block.resnets.extend(ResnetBlock2D(in_channels=width, out_channels=width, temb_channels=None, eps=1e-6,
                                               groups=norm_num_groups, non_linearity=act_fn)
                                 for _ in range(count - shared))
        self.quant_conv = nn.Conv2d(2 * channels, 2 * channels, 1)
        if presence_head:
            self.presence_conv = nn.Conv2d(channels, PRESENCE_WIDTH, 3, padding=1)
            self.presence_out = nn.Linear(2 * PRESENCE_WIDTH, 1)

    @staticmethod
    def channels_of_c(latent_channels: int, extra_channels: int = 0) -> int:
        """The channels of c: the mask latent's, then the extra features (also needed before an encoder exists)."""
        return latent_channels + extra_channels

    @property
    def out_channels(self) -> int:
        return self.channels_of_c(self.config.latent_channels, self.config.extra_channels)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        if self.config.standardize_image:  # inside the model too: prediction reads it from the saved config
            std, mean = torch.std_mean(image, dim=(2, 3), keepdim=True)
            image = (image - mean) / (std + 1e-3)
        factor = self.config.image_downscale
        if factor > 1:  # inside the model, so prediction sees what training saw
            unshuffle = self.config.image_downscale_mode == "unshuffle"
            image = F.pixel_unshuffle(image, factor) if unshuffle else F.avg_pool2d(image, factor)
        moments = self.quant_conv(self.encoder(image))
        return moments[:, : self.out_channels]

    def presence_logit(self, c: torch.Tensor) -> torch.Tensor:
        """c (B, C, h, w) -> (B,) logit that the image holds foreground: one conv, then its mean and its maximum
        over the image (a polyp may cover a few latent pixels) through a linear layer."""
        features = F.silu(self.presence_conv(c)).flatten(2)
        return self.presence_out(torch.cat([features.mean(2), features.amax(2)], dim=1))[:, 0]

    def first_levels(self, levels: int) -> nn.Module:
        """The layers up to and including the ``levels``-th 2x downsampling: the input conv and the first
        ``levels`` down blocks (each ends with its downsampler). The costliest layers (full resolution)."""
        check_levels(levels, len(self.config.block_out_channels) - 1)
        return nn.ModuleList([self.encoder.conv_in, *self.encoder.down_blocks[:levels]]) if levels else nn.ModuleList()

    @classmethod
    def from_autoencoder(
        cls, vae: AutoencoderKL, in_channels: int | None = None, overrides: dict[str, Any] | None = None,
        latent_channels: int | None = None,
    ) -> "VisionEncoder":
        """A vision encoder with ``vae``'s architecture (changed by ``overrides``), initialised from its encoder.

        ``latent_channels`` (default: ``vae``'s) is the latent space c must live in.
        """
        cfg = vae.config
        architecture = {
            "block_out_channels": tuple(cfg.block_out_channels),
            "layers_per_block": cfg.layers_per_block,
            "norm_num_groups": cfg.norm_num_groups,
            "act_fn": cfg.act_fn,
            "mid_block_add_attention": cfg.mid_block_add_attention,
            "image_downscale": 1,
            "image_downscale_mode": "average",
            "extra_channels": 0,
            "standardize_image": False,
            "presence_head": False,
        }
        overrides = dict(overrides or {})
        widen = overrides.pop("widen", False)
        unknown = set(overrides) - set(architecture)
        if unknown:
            raise ConfigError(f"vision_encoder: unknown key(s) {sorted(unknown)}; "
                              f"known: {sorted([*architecture, 'widen'])}")
        if not isinstance(widen, bool):
            raise ConfigError(f"vision_encoder.widen {widen!r}: use true or false")
        architecture.update(overrides)
        levels = len(cfg.block_out_channels) - halvings(architecture["image_downscale"])
        if len(architecture["block_out_channels"]) != levels:
            raise ConfigError(f"vision_encoder.block_out_channels needs {levels} levels: the first stage's "
                              f"{len(cfg.block_out_channels)} less one for each halving by image_downscale "
                              f"({architecture['image_downscale']}), so that c has z0's size")
        model = cls(in_channels=in_channels or cfg.in_channels, latent_channels=latent_channels or cfg.latent_channels,
                    **architecture)
        weights = {f"encoder.{k}": v for k, v in vae.encoder.state_dict().items()}
        weights.update({f"quant_conv.{k}": v for k, v in vae.quant_conv.state_dict().items()})
        widen_input_conv(weights, "encoder.conv_in.weight", model.encoder.conv_in.in_channels)
        if widen:
            weights = widen_state_dict(model, weights, model.config.latent_channels)
        load_matching(model, weights)
        return model


VISION_ENCODERS = {cls.__name__: cls for cls in (VisionEncoder, TinyEncoder)}


def vision_encoder_for(
    vae: ModelMixin, in_channels: int | None = None, overrides: dict[str, Any] | None = None,
    latent_channels: int | None = None,
) -> ModelMixin:
    """The vision encoder matching an autoencoder of any supported kind, initialised from its encoder.

    ``overrides`` change a KL vision encoder's architecture (the preset's ``vision_encoder`` section).
    ``latent_channels``: the mask latent space's, when ``vae`` is not the mask first stage but
    another autoencoder lending its pretrained encoder; the output layers then start from scratch.
    """
    if isinstance(vae, AutoencoderKL):
        return VisionEncoder.from_autoencoder(vae, in_channels, overrides, latent_channels)
    if overrides:
        raise ConfigError(f"vision_encoder overrides {sorted(overrides)} apply to KL encoders only; this vision "
                          f"encoder comes from a {type(vae).__name__}: clear them with --set 'vision_encoder={{}}'")
    cfg = vae.config
    if isinstance(vae, AutoencoderTiny) and cfg.act_fn != "relu":
        raise CheckpointError(f"a TAESD first stage with act_fn={cfg.act_fn!r}: only 'relu' is supported")
    model = TinyEncoder(
        in_channels=in_channels or cfg.in_channels,
        latent_channels=latent_channels or cfg.latent_channels,
        block_out_channels=tuple(cfg.encoder_block_out_channels),
        num_blocks=tuple(cfg.num_encoder_blocks),
        pooled_blocks=cfg.pooled_blocks if isinstance(vae, TAEF2Autoencoder) else 0,
    )
    weights = dict(vae.encoder.state_dict())
    widen_input_conv(weights, "layers.0.weight", model.config.in_channels)
    load_matching(model, weights)
    return model


def load_vision_encoder(path: Path) -> ModelMixin:
    """A saved vision encoder of whichever kind its ``config.json`` names."""
    name = json.loads((path / "config.json").read_text()).get("_class_name", "VisionEncoder")
    if name not in VISION_ENCODERS:
        raise CheckpointError(f"{path}: a {name}, not a vision encoder sdseg knows ({', '.join(VISION_ENCODERS)})")
    return VISION_ENCODERS[name].from_pretrained(path, local_files_only=True)
