"""Start a wider KL encoder from a narrower one's weights (Net2WiderNet, Chen et al., ICLR 2016).

A from-scratch preset wants a vision encoder wider than its mask autoencoder's, so no tensor of the
first stage's encoder fits it by shape. Widening by an integer factor r per level fits them all:
each channel of the narrow encoder becomes r adjacent copies, and each layer reading those copies
gives each copy a random share of the original input weights (the shares sum to 1, so that the
output is unchanged while the copies get different gradients and drift apart). Adjacent copies keep
every GroupNorm group's statistics, because group g of the wide layer holds exactly the copies of the
narrow layer's group g. The single-head mid-block attention sees r times the dot product under a
1/√r smaller scale, so its queries are divided by √r. The output layers keep the latent layout: the
mask latent's channels of c (and their log-variances) come from the first stage's, the extra
channels start from scratch and are not read by the copied ones. At step 0 the wide encoder thus
gives the first stage's posterior mean on c's first channels.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from ..errors import ConfigError

LATENT_SPACE_TENSORS = {  # tensor name → the dims that index moments [mean | log-variance]
    "encoder.conv_out.weight": (0,),
    "encoder.conv_out.bias": (0,),
    "quant_conv.weight": (0, 1),
    "quant_conv.bias": (0,),
}


def copies_of(narrow: int, wide: int, name: str) -> torch.Tensor:
    """For each of ``wide`` channels, the narrow channel it copies: r adjacent copies of each."""
    if wide % narrow:
        raise ConfigError(f"vision_encoder.widen: {name} has {wide} channels where the first stage's encoder has "
                          f"{narrow}; widening needs a whole multiple at every level (e.g. twice the width)")
    return torch.arange(wide) // (wide // narrow)


def latent_sources(narrow: int, wide: int, latent_channels: int) -> torch.Tensor:
    """For each moment channel of c, the first stage's moment channel it copies (-1: start from scratch)."""
    if narrow != 2 * latent_channels:
        raise ConfigError(f"vision_encoder.widen: c's latent has {latent_channels} channels, the first stage's "
                          f"{narrow // 2}; widening copies the first stage's own encoder, so keep its latent")
    source = torch.full((wide,), -1)
    source[:latent_channels] = torch.arange(latent_channels)
    source[wide // 2: wide // 2 + latent_channels] = torch.arange(latent_channels) + narrow // 2
    return source


def random_split(source: torch.Tensor) -> torch.Tensor:
    """Per-copy shares of an input weight that sum to 1 over each narrow channel's copies, drawn at random."""
    share = torch.rand(source.shape) + 0.5
    total = torch.zeros(int(source.max()) + 1).index_add_(0, source, share)
    return share / total[source]


def widen_tensor(name: str, narrow: torch.Tensor, wide: torch.Tensor, latent_channels: int) -> torch.Tensor:
    """``narrow``'s values laid out in ``wide``'s shape; ``wide`` (the fresh init) fills the rows with no
    source, and inputs with no source get zero weight so that copied outputs do not read them."""
    out, has_source = narrow, [None, None]
    for dim in range(min(narrow.dim(), 2)):
        if narrow.shape[dim] == wide.shape[dim]:
            continue
        if dim in LATENT_SPACE_TENSORS.get(name, ()):
            source = latent_sources(narrow.shape[dim], wide.shape[dim], latent_channels)
            has_source[dim] = (source >= 0).view([-1 if d == dim else 1 for d in range(wide.dim())])
            out = out.index_select(dim, source.clamp(min=0))
        else:
            source = copies_of(narrow.shape[dim], wide.shape[dim], name)
            out = out.index_select(dim, source)
            if dim == 1:  # an input dim: the copies share the weight
                out = out * random_split(source).view(1, -1, *[1] * (out.dim() - 2))
    if has_source[1] is not None:
        out = torch.where(has_source[1], out, torch.zeros_like(out))
    if has_source[0] is not None:
        out = torch.where(has_source[0], out, wide)
    return out.to(wide.dtype)


def widen_state_dict(
    model: nn.Module, weights: dict[str, torch.Tensor], latent_channels: int
) -> dict[str, torch.Tensor]:
    """``weights`` (a narrower encoder's, same layer names) widened to ``model``'s shapes."""
    own = model.state_dict()
    missing = sorted(set(own) - set(weights))
    if missing:
        raise ConfigError(f"vision_encoder.widen: the first stage's encoder has no {missing[0]} (and "
                          f"{len(missing) - 1} more): widening copies its layers, so keep its levels and blocks, "
                          "and equal widths where its widths are equal")
    widened = {name: widen_tensor(name, weights[name], own[name], latent_channels) for name in own}
    for module_name, module in model.named_modules():
        if hasattr(module, "to_q") and getattr(module, "heads", None) == 1:
            key = f"{module_name}.to_q"
            ratio = own[f"{key}.weight"].shape[0] / weights[f"{key}.weight"].shape[0]
            for part in ("weight", "bias"):
                if f"{key}.{part}" in widened:
                    widened[f"{key}.{part}"] = widened[f"{key}.{part}"] / math.sqrt(ratio)
    return widened
