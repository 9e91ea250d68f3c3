"""The vision encoder: SDSeg's trainable image-to-latent network.

It has the first stage encoder's architecture (encoder + quant conv) and starts from
its weights, so at step 0 image latents already live in the mask latent space.
"""

from __future__ import annotations

import torch
from diffusers import AutoencoderKL
from diffusers.configuration_utils import ConfigMixin, register_to_config
from diffusers.models.autoencoders.vae import Encoder
from diffusers.models.modeling_utils import ModelMixin
from torch import nn


class VisionEncoder(ModelMixin, ConfigMixin):
    """Encodes an image to the mean of the first stage's posterior (deterministic conditioning)."""

    @register_to_config
    def __init__(
        self,
        in_channels: int = 3,
        latent_channels: int = 4,
        block_out_channels: tuple[int, ...] = (64,),
        layers_per_block: int = 1,
        norm_num_groups: int = 32,
        act_fn: str = "silu",
        mid_block_add_attention: bool = True,
    ):
        super().__init__()
        self.encoder = Encoder(
            in_channels=in_channels,
            out_channels=latent_channels,
            down_block_types=("DownEncoderBlock2D",) * len(block_out_channels),
            block_out_channels=tuple(block_out_channels),
            layers_per_block=layers_per_block,
            norm_num_groups=norm_num_groups,
            act_fn=act_fn,
            double_z=True,
            mid_block_add_attention=mid_block_add_attention,
        )
        self.quant_conv = nn.Conv2d(2 * latent_channels, 2 * latent_channels, 1)

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        moments = self.quant_conv(self.encoder(image))
        return moments[:, : self.config.latent_channels]

    @classmethod
    def from_autoencoder(cls, vae: AutoencoderKL, in_channels: int | None = None) -> "VisionEncoder":
        """A vision encoder with ``vae``'s architecture, initialised from its encoder weights.

        For ``in_channels`` other than the first stage's (e.g. FLAIR + T1c), the input conv
        starts from the mean of the pretrained filters over their input channels, scaled so
        that a grey image replicated to every channel gives the pretrained response.
        """
        cfg = vae.config
        in_channels = in_channels or cfg.in_channels
        model = cls(
            in_channels=in_channels,
            latent_channels=cfg.latent_channels,
            block_out_channels=tuple(cfg.block_out_channels),
            layers_per_block=cfg.layers_per_block,
            norm_num_groups=cfg.norm_num_groups,
            act_fn=cfg.act_fn,
            mid_block_add_attention=cfg.mid_block_add_attention,
        )
        weights = dict(vae.encoder.state_dict())
        if in_channels != cfg.in_channels:
            pretrained = weights["conv_in.weight"]
            weights["conv_in.weight"] = pretrained.mean(dim=1, keepdim=True).repeat(1, in_channels, 1, 1) * (
                cfg.in_channels / in_channels
            )
        model.encoder.load_state_dict(weights)
        model.quant_conv.load_state_dict(vae.quant_conv.state_dict())
        return model
