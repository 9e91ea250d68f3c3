"""Pretrained weights from CompVis/LDM checkpoints and Stable Diffusion files, without network or YAML.

SDSeg starts from a latent diffusion model: a kl-f8 first stage (SD's VAE, a diffusers
folder, or the ``first_stage_model`` of an LDM checkpoint) and an LDM UNet (CompVis
``openaimodel``, e.g. the LSUN-churches kl-f8 LDM). Both are mapped onto diffusers models
and must fit them exactly: a partial load would train from silently random weights.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from collections.abc import Iterable
from typing import Any

import torch
from diffusers import AutoencoderKL, UNet2DModel
from diffusers.loaders.single_file_utils import (
    DIFFUSERS_TO_LDM_MAPPING,
    convert_ldm_vae_checkpoint,
    update_unet_resnet_ldm_to_diffusers,
)
from safetensors.torch import load_file

from ..errors import CheckpointError

PICKLE_SUFFIXES = (".ckpt", ".pt", ".pth", ".bin")
VAE_PARTS = ("encoder.", "decoder.", "quant_conv.", "post_quant_conv.")
LDM_UNET_PREFIX = "model.diffusion_model."
SHOWN = 5  # keys listed per kind of mismatch; the rest are counted


def read_state_dict(path: str | Path) -> dict[str, torch.Tensor]:
    """The tensors of a ``.safetensors`` or weights-only pickle, unwrapping CompVis' ``state_dict`` key."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path}: no such checkpoint file")
    if path.suffix not in (".safetensors", *PICKLE_SUFFIXES):
        raise CheckpointError(f"{path}: unknown checkpoint type (expected .safetensors, {', '.join(PICKLE_SUFFIXES)})")
    try:
        if path.suffix == ".safetensors":
            state = load_file(path, device="cpu")
        else:
            state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # every reader failure means the same to the user: this file cannot be used
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CheckpointError(
            f"{path}: cannot read it as weights ({reason}); a pickle must hold only tensors and plain "
            "containers - if you trust the file, re-save its state_dict with torch.save or as .safetensors"
        ) from exc
    if isinstance(state, dict) and isinstance(state.get("state_dict"), dict):
        state = state["state_dict"]
    tensors = {k: v for k, v in state.items() if isinstance(v, torch.Tensor)} if isinstance(state, dict) else {}
    if not tensors:
        raise CheckpointError(f"{path}: holds no named tensors, so it is not a model checkpoint")
    return tensors


def _describe(missing: list[str], unexpected: list[str], shapes: list[str], all_shapes: bool = False) -> str:
    """A few keys of each kind of mismatch, with counts ("" when the weights fit)."""
    problems = []
    for label, items, shown in (("missing", missing, SHOWN), ("unexpected", unexpected, SHOWN),
                                ("shape mismatches", shapes, len(shapes) if all_shapes else SHOWN)):
        if items:
            more = f", ... {len(items) - shown} more" if len(items) > shown else ""
            problems.append(f"{len(items)} {label} ({', '.join(items[:shown])}{more})")
    return "; ".join(problems)


def _dims(tensor: torch.Tensor) -> str:
    return "x".join(map(str, tensor.shape)) or "scalar"


def _load_exact(model: torch.nn.Module, state: dict[str, torch.Tensor], path: Path, expected: str,
                all_shapes: bool = False) -> None:
    """``load_state_dict(strict=True)``, but a mismatch names the keys and what was expected."""
    own = model.state_dict()
    shapes = [f"{k} (file {_dims(state[k])} vs model {_dims(own[k])})"
              for k in sorted(own.keys() & state.keys()) if state[k].shape != own[k].shape]
    problems = _describe(sorted(own.keys() - state.keys()), sorted(state.keys() - own.keys()), shapes, all_shapes)
    if problems:
        raise CheckpointError(f"{path}: weights do not fit {expected}: {problems}")
    model.load_state_dict(state, strict=True)


def _count(keys: Iterable[str], pattern: str) -> int:
    """How many numbered blocks ``pattern`` (with one ``(\\d+)`` group) finds: highest index + 1."""
    return 1 + max((int(m.group(1)) for k in keys if (m := re.match(pattern, k))), default=-1)


def _infer_vae_config(state: dict[str, torch.Tensor]) -> dict[str, Any]:
    """An ``AutoencoderKL`` config read off diffusers-layout tensor shapes (norm groups: SD's 32)."""
    levels = _count(state, r"encoder\.down_blocks\.(\d+)\.")
    widths = [state[f"encoder.down_blocks.{i}.resnets.0.conv1.weight"].shape[0] for i in range(levels)]
    return {
        "in_channels": state["encoder.conv_in.weight"].shape[1],
        "out_channels": state["decoder.conv_out.weight"].shape[0],
        "down_block_types": ["DownEncoderBlock2D"] * levels,
        "up_block_types": ["UpDecoderBlock2D"] * levels,
        "block_out_channels": widths,
        "layers_per_block": _count(state, r"encoder\.down_blocks\.0\.resnets\.(\d+)\."),
        "latent_channels": state["decoder.conv_in.weight"].shape[1],
        "norm_num_groups": 32,
        "use_quant_conv": "quant_conv.weight" in state,
        "use_post_quant_conv": "post_quant_conv.weight" in state,
        "mid_block_add_attention": any(k.startswith("encoder.mid_block.attentions.") for k in state),
    }


def _read_config(config: dict | str | Path) -> dict[str, Any]:
    if isinstance(config, dict):
        return config
    file = Path(config) / "config.json" if Path(config).is_dir() else Path(config)
    try:
        return json.loads(file.read_text())
    except (OSError, ValueError) as exc:
        raise CheckpointError(f"{file}: cannot read the autoencoder config ({exc})") from exc


def load_kl_autoencoder(path: str | Path, config: dict | str | Path | None = None) -> AutoencoderKL:
    """A KL first stage from a diffusers folder (or a pipeline's ``vae/``), an LDM/SD checkpoint or a diffusers file.

    For single files, ``config`` (a dict, a config.json or a folder holding one) overrides the
    config inferred from the tensor shapes, e.g. ``{"norm_num_groups": 16}``; folders carry their own.
    """
    path = Path(path)
    if path.is_dir():
        folder = path / "vae" if (path / "vae" / "config.json").is_file() else path
        if not (folder / "config.json").is_file():
            raise CheckpointError(f"{path}: no config.json here or in vae/, so it is not a diffusers autoencoder")
        try:
            vae, info = AutoencoderKL.from_pretrained(folder, local_files_only=True, output_loading_info=True)
        except (OSError, ValueError, RuntimeError) as exc:
            raise CheckpointError(f"{folder}: cannot load the autoencoder ({exc})") from exc
        problems = _describe(sorted(info["missing_keys"]), sorted(info["unexpected_keys"]), [])  # sizes raise above
        if problems:
            raise CheckpointError(f"{folder}: weights do not fit its config.json: {problems}")
        return vae
    state = read_state_dict(path)
    prefix = next((p for p in ("first_stage_model.", "vae.") if any(k.startswith(p) for k in state)), "")
    state = {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}
    state = {k: v for k, v in state.items() if k.startswith(VAE_PARTS)}  # drops loss.*, cond_stage_model.*, ...
    if not state:
        raise CheckpointError(
            f"{path}: not a KL autoencoder - no first_stage_model.*, encoder.* or decoder.* weights "
            "(a UNet-only checkpoint has no first stage; pass the VAE file or folder)"
        )
    if any(k.startswith("encoder.down.") for k in state):  # CompVis layout; the converter needs only the level count
        levels = {"down_block_types": [None] * _count(state, r"encoder\.down\.(\d+)\."),
                  "up_block_types": [None] * _count(state, r"decoder\.up\.(\d+)\.")}
        state = convert_ldm_vae_checkpoint(state, levels)
    try:
        inferred = _infer_vae_config(state)
    except KeyError as exc:
        raise CheckpointError(f"{path}: cannot infer the autoencoder's shape (no {exc}); pass its config") from exc
    settings = {**inferred, **(_read_config(config) if config is not None else {})}
    vae = AutoencoderKL.from_config(settings)
    _load_exact(vae, state, path, f"a KL autoencoder with block_out_channels {list(vae.config.block_out_channels)}, "
                f"layers_per_block {vae.config.layers_per_block}, latent_channels {vae.config.latent_channels}")
    return vae.eval()


def _attention(state: dict[str, torch.Tensor], old: str, new: str, head_dim: int | None) -> dict[str, torch.Tensor]:
    """openaimodel AttentionBlock -> diffusers Attention; the legacy qkv conv interleaves [q, k, v] per head."""
    channels = state[f"{old}.norm.weight"].numel()
    heads = channels // head_dim if head_dim else 1  # UNet2DModel: one head when attention_head_dim is None
    qkv_w = state[f"{old}.qkv.weight"].reshape(heads, 3, -1, channels)
    qkv_b = state[f"{old}.qkv.bias"].reshape(heads, 3, -1)
    out = {f"{new}.group_norm.{p}": state[f"{old}.norm.{p}"] for p in ("weight", "bias")}
    for i, name in enumerate("qkv"):
        out[f"{new}.to_{name}.weight"] = qkv_w[:, i].reshape(-1, channels)
        out[f"{new}.to_{name}.bias"] = qkv_b[:, i].reshape(-1)
    out[f"{new}.to_out.0.weight"] = state[f"{old}.proj_out.weight"].squeeze(-1)
    out[f"{new}.to_out.0.bias"] = state[f"{old}.proj_out.bias"]
    return out


def _unet_target(block: str, kind: str, layers: int) -> str:
    """Where openaimodel's ``input_blocks.i.j`` / ``middle_block.j`` / ``output_blocks.i.j`` sits in UNet2DModel."""
    part, *index = block.split(".")
    if part == "middle_block":
        return {0: "mid_block.resnets.0", 1: "mid_block.attentions.0", 2: "mid_block.resnets.1"}[int(index[0])]
    i, j = map(int, index)
    child = "attentions" if kind == "attention" else "resnets"
    if part == "input_blocks":  # input_blocks.0 is conv_in; each level: `layers` blocks, then its downsampler
        level, layer = divmod(i - 1, layers + 1)
        return f"down_blocks.{level}.downsamplers.0" if layer == layers else f"down_blocks.{level}.{child}.{layer}"
    level, layer = divmod(i, layers + 1)  # each output block: resnet, [attention], [upsampler on a level's last]
    return f"up_blocks.{level}.{child}.{layer}" if j == 0 or kind == "attention" else f"up_blocks.{level}.upsamplers.0"


def _convert_ldm_unet(state: dict[str, torch.Tensor], layers: int, head_dim: int | None) -> dict[str, torch.Tensor]:
    """openaimodel keys -> UNet2DModel keys; keys it cannot place keep their names (reported as unexpected)."""
    renamed = {old: new for new, old in DIFFUSERS_TO_LDM_MAPPING["unet"]["layers"].items()}
    renamed["label_emb.weight"] = "class_embedding.weight"
    new: dict[str, torch.Tensor] = {}
    blocks: dict[str, list[str]] = {}
    for key, value in state.items():
        block = re.match(r"(input_blocks\.\d+\.\d+|middle_block\.\d+|output_blocks\.\d+\.\d+)\.", key)
        if key in renamed:
            new[renamed[key]] = value
        elif block:
            blocks.setdefault(block.group(1), []).append(key)
        else:
            new[key] = value
    for block, keys in blocks.items():
        kind = ("attention" if f"{block}.qkv.weight" in keys else "resnet" if f"{block}.in_layers.0.weight" in keys
                else "sampler" if {f"{block}.op.weight", f"{block}.conv.weight"} & set(keys) else None)
        if kind is None:  # e.g. SD's cross-attention SpatialTransformer, which UNet2DModel lacks
            new.update({k: state[k] for k in keys})
            continue
        target = _unet_target(block, kind, layers)
        if kind == "attention":
            new.update(_attention(state, block, target, head_dim))
        elif kind == "resnet":  # also the ResBlock down/upsamplers of resblock_updown -> ResnetBlock2D(down/up)
            update_unet_resnet_ldm_to_diffusers(keys, new, state, {"old": block, "new": target})
        else:  # conv samplers: Downsample's `op`, Upsample's `conv`
            new.update({f"{target}.{k[len(block) + 1:].replace('op.', 'conv.', 1)}": state[k] for k in keys})
    return new


def load_ldm_unet(path: str | Path, unet_config: dict[str, Any], widen_to: int | None = None) -> UNet2DModel:
    """A ``UNet2DModel(**unet_config)`` holding an LDM (CompVis openaimodel) UNet's weights.

    Reads ``model.diffusion_model.*`` keys (other models in the file are ignored) or already
    stripped ones. Attention is split in the legacy per-head qkv order of LDM's ``AttentionBlock``
    into channels / ``attention_head_dim`` heads: right only where the checkpoint had that many
    heads (its num_head_channels); weights never tell, and a wrong count still loads.
    ``widen_to`` sets the input channels (default: ``unet_config["in_channels"]``); when these
    exceed the checkpoint's -- with ``widen_to`` always, else at exactly twice, SDSeg's
    concat(z_t, c) -- the pretrained conv_in filters fill the first channels and the new ones
    start at zero, so at first the UNet ignores the image latent. A config with
    ``num_class_embeds`` keeps its fresh class embedding if the checkpoint has no ``label_emb``.
    """
    path = Path(path)
    state = read_state_dict(path)
    if any(k.startswith(LDM_UNET_PREFIX) for k in state):
        state = {k[len(LDM_UNET_PREFIX):]: v for k, v in state.items() if k.startswith(LDM_UNET_PREFIX)}
    elif not any(k.startswith("input_blocks.") for k in state):
        raise CheckpointError(f"{path}: not an LDM UNet - no model.diffusion_model.* or input_blocks.* weights")
    unet = UNet2DModel(**{**unet_config, **({"in_channels": widen_to} if widen_to else {})})
    try:
        state = _convert_ldm_unet(state, unet.config.layers_per_block, unet.config.attention_head_dim)
    except (KeyError, RuntimeError) as exc:  # e.g. an attention block without its norm, or a qkv of the wrong size
        raise CheckpointError(f"{path}: its UNet blocks do not follow openaimodel's layout ({exc})") from exc
    own = unet.state_dict()
    pretrained, fresh = state.get("conv_in.weight"), own["conv_in.weight"]
    if pretrained is not None:
        n = pretrained.shape[1]
        if n < fresh.shape[1] and (widen_to or fresh.shape[1] == 2 * n) and fresh[:, :n].shape == pretrained.shape:
            state["conv_in.weight"] = torch.cat([pretrained, pretrained.new_zeros(fresh[:, n:].shape)], dim=1)
    if "class_embedding.weight" in own and "class_embedding.weight" not in state:
        state["class_embedding.weight"] = own["class_embedding.weight"]
    _load_exact(unet, state, path, all_shapes=True, expected=(
        "an LDM UNet shaped as unet_config (block_out_channels = model_channels x channel_mult, layers_per_block = "
        "num_res_blocks, attention levels; resblock_updown needs downsample_type/upsample_type 'resnet' and "
        "ResnetUpsampleBlock2D for up blocks without attention; with scale_shift the mid-block attention norm needs "
        "attn_norm_num_groups)"))
    return unet.eval()
