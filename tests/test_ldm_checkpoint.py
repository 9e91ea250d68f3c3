"""Pretrained LDM / Stable Diffusion weights: every source layout loads to the same model.

Tiny random models are written in each layout -- diffusers folders, CompVis/LDM keys (the
inverse maps below are written here, independently of the loader), full SD single files,
standalone kl-f8 ``model.ckpt`` files -- and must give exactly the source model's outputs.
"""

from __future__ import annotations

import json
import math

import pytest
import torch
import torch.nn.functional as F
from diffusers import AutoencoderKL, UNet2DModel
from diffusers.models.attention_processor import Attention
from diffusers.models.downsampling import Downsample2D
from diffusers.models.resnet import ResnetBlock2D
from safetensors.torch import save_file

from sdseg.errors import CheckpointError
from sdseg.models.ldm_checkpoint import LDM_UNET_PREFIX, load_kl_autoencoder, load_ldm_unet, read_state_dict

VAE = {"in_channels": 3, "out_channels": 3, "down_block_types": ["DownEncoderBlock2D"] * 2,
       "up_block_types": ["UpDecoderBlock2D"] * 2, "block_out_channels": [32, 32], "layers_per_block": 1,
       "latent_channels": 4, "norm_num_groups": 32}
# The paper's UNet in miniature: attention at every level but the last, ResBlock up/downsamplers
# (resblock_updown), scale-shift norm, a mid-block attention with its own norm.
UNET = {"sample_size": 8, "in_channels": 4, "out_channels": 4, "block_out_channels": (32, 64), "layers_per_block": 1,
        "down_block_types": ("AttnDownBlock2D", "DownBlock2D"),
        "up_block_types": ("ResnetUpsampleBlock2D", "AttnUpBlock2D"),
        "attention_head_dim": 8, "norm_num_groups": 8, "attn_norm_num_groups": 8,
        "resnet_time_scale_shift": "scale_shift", "downsample_type": "resnet", "upsample_type": "resnet"}
CONV_SAMPLERS = {**UNET, "up_block_types": ("UpBlock2D", "AttnUpBlock2D"), "downsample_type": "conv",
                 "upsample_type": "conv"}


def randomized(model: torch.nn.Module, seed: int = 0) -> torch.nn.Module:
    """Random weights everywhere (no zero-initialised layer may hide a wrong mapping)."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=generator) * 0.2)
    return model.eval()


def vae_to_ldm(vae: AutoencoderKL) -> dict[str, torch.Tensor]:
    """diffusers -> CompVis key names, after diffusers' scripts/convert_diffusers_to_original_stable_diffusion.py."""
    levels, layers = len(vae.config.block_out_channels), vae.config.layers_per_block
    pairs = [("nin_shortcut", "conv_shortcut"), ("norm_out", "conv_norm_out"),
             ("mid.attn_1.", "mid_block.attentions.0.")]
    for i in range(levels):
        pairs += [(f"encoder.down.{i}.block.{j}.", f"encoder.down_blocks.{i}.resnets.{j}.") for j in range(layers)]
        pairs += [(f"decoder.up.{levels - 1 - i}.block.{j}.", f"decoder.up_blocks.{i}.resnets.{j}.")
                  for j in range(layers + 1)]
        if i < levels - 1:
            pairs += [(f"down.{i}.downsample.", f"down_blocks.{i}.downsamplers.0."),
                      (f"up.{levels - 1 - i}.upsample.", f"up_blocks.{i}.upsamplers.0.")]
    pairs += [(f"mid.block_{i + 1}.", f"mid_block.resnets.{i}.") for i in range(2)]
    attention = [("norm.", "group_norm."), ("q.", "to_q."), ("k.", "to_k."), ("v.", "to_v."),
                 ("proj_out.", "to_out.0.")]
    out = {}
    for key, value in vae.state_dict().items():
        for ldm, hf in pairs:
            key = key.replace(hf, ldm)
        if "attn_1" in key:
            for ldm, hf in attention:
                key = key.replace(hf, ldm)
            value = value[:, :, None, None] if value.ndim == 2 else value  # LDM's attention uses 1x1 Conv2d
        out[key] = value
    return out


RESNET = {"norm1": "in_layers.0", "conv1": "in_layers.2", "time_emb_proj": "emb_layers.1", "norm2": "out_layers.0",
          "conv2": "out_layers.3", "conv_shortcut": "skip_connection"}
STEM = {"conv_in": "input_blocks.0.0", "time_embedding.linear_1": "time_embed.0",
        "time_embedding.linear_2": "time_embed.2", "conv_norm_out": "out.0", "conv_out": "out.2",
        "class_embedding": "label_emb"}


def _ldm_block(module: torch.nn.Module, name: str) -> dict[str, torch.Tensor]:
    """One diffusers submodule as the openaimodel block ``name``."""
    sd = module.state_dict()
    if isinstance(module, Attention):  # legacy QKVAttention: per head, q, k and v rows in turn
        c, heads = sd["to_q.weight"].shape[0], module.heads
        qkv_w = torch.stack([sd[f"to_{n}.weight"].reshape(heads, c // heads, c) for n in "qkv"], dim=1)
        qkv_b = torch.stack([sd[f"to_{n}.bias"].reshape(heads, c // heads) for n in "qkv"], dim=1)
        return {f"{name}.norm.weight": sd["group_norm.weight"], f"{name}.norm.bias": sd["group_norm.bias"],
                f"{name}.qkv.weight": qkv_w.reshape(3 * c, c, 1), f"{name}.qkv.bias": qkv_b.reshape(3 * c),
                f"{name}.proj_out.weight": sd["to_out.0.weight"][:, :, None],
                f"{name}.proj_out.bias": sd["to_out.0.bias"]}
    if isinstance(module, ResnetBlock2D):
        return {f"{name}.{RESNET[k.rsplit('.', 1)[0]]}.{k.rsplit('.', 1)[1]}": v for k, v in sd.items()}
    conv = "op" if isinstance(module, Downsample2D) else "conv"  # openaimodel Downsample.op / Upsample.conv
    return {f"{name}.{conv}.{k.rsplit('.', 1)[1]}": v for k, v in sd.items()}


def unet_to_ldm(unet: UNet2DModel) -> dict[str, torch.Tensor]:
    """diffusers UNet2DModel -> openaimodel key names, walking the modules in openaimodel's block order."""
    out = {f"{STEM[k.rsplit('.', 1)[0]]}.{k.rsplit('.', 1)[1]}": v for k, v in unet.state_dict().items()
           if k.rsplit(".", 1)[0] in STEM}
    index = 1
    for block in unet.down_blocks:
        for layer, resnet in enumerate(block.resnets):
            out |= _ldm_block(resnet, f"input_blocks.{index}.0")
            if getattr(block, "attentions", None):
                out |= _ldm_block(block.attentions[layer], f"input_blocks.{index}.1")
            index += 1
        if block.downsamplers:
            out |= _ldm_block(block.downsamplers[0], f"input_blocks.{index}.0")
            index += 1
    mid = unet.mid_block
    out |= _ldm_block(mid.resnets[0], "middle_block.0") | _ldm_block(mid.attentions[0], "middle_block.1")
    out |= _ldm_block(mid.resnets[1], "middle_block.2")
    index = 0
    for block in unet.up_blocks:
        attentions = getattr(block, "attentions", None)
        for layer, resnet in enumerate(block.resnets):
            out |= _ldm_block(resnet, f"output_blocks.{index}.0")
            if attentions:
                out |= _ldm_block(attentions[layer], f"output_blocks.{index}.1")
            index += 1
        if block.upsamplers:
            out |= _ldm_block(block.upsamplers[0], f"output_blocks.{index - 1}.{2 if attentions else 1}")
    return out


def prefixed(state: dict[str, torch.Tensor], prefix: str) -> dict[str, torch.Tensor]:
    return {prefix + k: v for k, v in state.items()}


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    """Models this small gain nothing from a second thread, and on a busy machine lose seconds to it."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def vae() -> AutoencoderKL:
    return randomized(AutoencoderKL(**VAE))


@pytest.fixture(scope="module")
def unet() -> UNet2DModel:
    return randomized(UNet2DModel(**UNET), seed=1)


def vae_outputs(model: AutoencoderKL) -> tuple[torch.Tensor, torch.Tensor]:
    x = torch.randn(1, 3, 8, 8, generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        mean = model.encode(x).latent_dist.mean
        return mean, model.decode(mean).sample


def unet_output(model: UNet2DModel, z: torch.Tensor, class_labels: torch.Tensor | None = None) -> torch.Tensor:
    with torch.no_grad():
        return model(z, torch.tensor([10, 700]), class_labels=class_labels).sample


@pytest.fixture(scope="module")
def vae_ref(vae) -> tuple[torch.Tensor, torch.Tensor]:
    return vae_outputs(vae)


def assert_same_vae(loaded: AutoencoderKL, reference: tuple[torch.Tensor, torch.Tensor]) -> None:
    for a, b in zip(vae_outputs(loaded), reference):
        torch.testing.assert_close(a, b, atol=1e-6, rtol=0)


Z = torch.randn(2, 4, 8, 8, generator=torch.Generator().manual_seed(3))


def test_vae_from_diffusers_folder_and_pipeline_folder(tmp_path, vae, vae_ref):
    vae.save_pretrained(tmp_path / "sd-vae-ft-mse")
    vae.save_pretrained(tmp_path / "pipeline" / "vae")
    (tmp_path / "pipeline" / "unet").mkdir()
    assert_same_vae(load_kl_autoencoder(tmp_path / "sd-vae-ft-mse"), vae_ref)
    assert_same_vae(load_kl_autoencoder(tmp_path / "pipeline"), vae_ref)


def test_vae_folder_with_missing_weights_is_refused(tmp_path, vae):
    vae.save_pretrained(tmp_path / "vae")
    weights = tmp_path / "vae" / "diffusion_pytorch_model.safetensors"
    save_file({k: v for k, v in vae.state_dict().items() if k != "encoder.conv_in.bias"}, weights)
    with pytest.raises(CheckpointError, match=r"config.json: 1 missing \(encoder.conv_in.bias\)"):
        load_kl_autoencoder(tmp_path / "vae")


@pytest.mark.parametrize("suffix", [".ckpt", ".safetensors"])
def test_full_sd_single_file_gives_both_models(tmp_path, vae, vae_ref, unet, suffix):
    """first_stage_model.* and model.diffusion_model.* side by side; cond_stage_model.* is ignored."""
    state = prefixed(vae_to_ldm(vae), "first_stage_model.") | prefixed(unet_to_ldm(unet), "model.diffusion_model.")
    state["cond_stage_model.transformer.text_model.final_layer_norm.weight"] = torch.ones(8)
    path = tmp_path / f"sd-v1{suffix}"
    if suffix == ".ckpt":
        torch.save({"state_dict": state, "global_step": 1}, path)
    else:
        save_file(state, path)
    assert_same_vae(load_kl_autoencoder(path), vae_ref)
    torch.testing.assert_close(unet_output(load_ldm_unet(path, UNET), Z), unet_output(unet, Z), atol=1e-6, rtol=0)


def test_vae_from_standalone_kl_f8_ckpt_with_loss_weights(tmp_path, vae, vae_ref):
    state = vae_to_ldm(vae) | {"loss.logvar": torch.zeros(()), "loss.discriminator.main.0.weight": torch.ones(2, 3)}
    torch.save({"state_dict": state}, tmp_path / "model.ckpt")
    assert_same_vae(load_kl_autoencoder(tmp_path / "model.ckpt"), vae_ref)


def test_vae_from_diffusers_layout_safetensors(tmp_path, vae, vae_ref):
    save_file(vae.state_dict(), tmp_path / "vae.safetensors")
    assert_same_vae(load_kl_autoencoder(tmp_path / "vae.safetensors"), vae_ref)


def test_vae_config_overrides_the_inferred_one(tmp_path):
    """Norm groups cannot be read off shapes: a dict or a config.json sets them."""
    small = randomized(AutoencoderKL(**{**VAE, "block_out_channels": [8, 16], "norm_num_groups": 4}))
    torch.save(prefixed(vae_to_ldm(small), "first_stage_model."), tmp_path / "small.pt")
    reference = vae_outputs(small)
    assert_same_vae(load_kl_autoencoder(tmp_path / "small.pt", {"norm_num_groups": 4}), reference)
    small.save_config(tmp_path / "folder")
    assert_same_vae(load_kl_autoencoder(tmp_path / "small.pt", tmp_path / "folder"), reference)
    assert_same_vae(load_kl_autoencoder(tmp_path / "small.pt", tmp_path / "folder" / "config.json"), reference)


def test_vae_with_other_widths_names_the_mismatching_keys(tmp_path):
    wider = randomized(AutoencoderKL(**{**VAE, "block_out_channels": [32, 64]}))
    torch.save(prefixed(vae_to_ldm(wider), "first_stage_model."), tmp_path / "wider.ckpt")
    with pytest.raises(CheckpointError, match="wider.ckpt") as err:
        load_kl_autoencoder(tmp_path / "wider.ckpt", VAE)
    assert "84 shape mismatches (decoder.conv_in.bias (file 64 vs model 32), " in str(err.value)
    assert "4 unexpected (decoder.up_blocks.1.resnets.0.conv_shortcut.bias, " in str(err.value)
    assert "KL autoencoder" in str(err.value)


def test_unet_only_checkpoint_is_not_a_vae_and_vae_only_is_not_a_unet(tmp_path, vae, unet):
    torch.save({"state_dict": prefixed(unet_to_ldm(unet), "model.diffusion_model.")}, tmp_path / "unet.ckpt")
    with pytest.raises(CheckpointError, match="unet.ckpt: not a KL autoencoder"):
        load_kl_autoencoder(tmp_path / "unet.ckpt")
    save_file(vae.state_dict(), tmp_path / "vae.safetensors")
    with pytest.raises(CheckpointError, match="vae.safetensors: not an LDM UNet"):
        load_ldm_unet(tmp_path / "vae.safetensors", UNET)


@pytest.mark.parametrize("config", [UNET, CONV_SAMPLERS], ids=["resblock_updown", "conv_samplers"])
def test_unet_from_stripped_ldm_keys(tmp_path, config):
    source = randomized(UNet2DModel(**config), seed=4)
    save_file(unet_to_ldm(source), tmp_path / "unet.safetensors")
    torch.testing.assert_close(unet_output(load_ldm_unet(tmp_path / "unet.safetensors", config), Z),
                               unet_output(source, Z), atol=1e-6, rtol=0)


def test_unet_with_class_embedding(tmp_path):
    config = {**UNET, "num_class_embeds": 3}
    source = randomized(UNet2DModel(**config), seed=5)
    torch.save({"state_dict": prefixed(unet_to_ldm(source), "model.diffusion_model.")}, tmp_path / "model.ckpt")
    labels = torch.tensor([0, 2])
    loaded = load_ldm_unet(tmp_path / "model.ckpt", config)
    torch.testing.assert_close(unet_output(loaded, Z, labels), unet_output(source, Z, labels), atol=1e-6, rtol=0)


def test_unet_without_label_emb_keeps_a_fresh_class_embedding(tmp_path, unet):
    torch.save(prefixed(unet_to_ldm(unet), "model.diffusion_model."), tmp_path / "model.pt")
    loaded = load_ldm_unet(tmp_path / "model.pt", {**UNET, "num_class_embeds": 3})
    assert loaded.class_embedding.weight.shape == (3, 128)
    source = unet.state_dict()
    assert all(torch.equal(v, source[k]) for k, v in loaded.state_dict().items() if k != "class_embedding.weight")


@pytest.mark.parametrize("how", ["config", "widen_to"])
def test_widened_unet_ignores_the_image_latent_at_first(tmp_path, unet, how):
    """4-channel LDM weights in SDSeg's concat(z_t, c) UNet: the new conv_in filters start at zero."""
    torch.save({"state_dict": prefixed(unet_to_ldm(unet), "model.diffusion_model.")}, tmp_path / "model.ckpt")
    if how == "config":
        wide = load_ldm_unet(tmp_path / "model.ckpt", {**UNET, "in_channels": 8})
    else:
        wide = load_ldm_unet(tmp_path / "model.ckpt", UNET, widen_to=8)
    assert wide.config.in_channels == 8
    assert torch.equal(wide.conv_in.weight[:, 4:], torch.zeros(32, 4, 3, 3))
    c = torch.randn(2, 4, 8, 8, generator=torch.Generator().manual_seed(6))
    torch.testing.assert_close(unet_output(wide, torch.cat([Z, c], dim=1)), unet_output(unet, Z), atol=1e-6, rtol=0)


def test_unet_shape_mismatch_lists_every_key_with_both_shapes(tmp_path, unet):
    save_file(unet_to_ldm(unet), tmp_path / "unet.safetensors")
    with pytest.raises(CheckpointError, match="unet.safetensors") as err:
        load_ldm_unet(tmp_path / "unet.safetensors", {**UNET, "block_out_channels": (32, 96)})
    message = str(err.value)
    assert "down_blocks.1.resnets.0.conv1.weight (file 64x32x3x3 vs model 96x32x3x3)" in message
    assert "more" not in message.split("shape mismatches")[1]  # all listed, none elided
    with pytest.raises(CheckpointError, match=r"conv_in.weight \(file 32x4x3x3 vs model 32x12x3x3\)"):
        load_ldm_unet(tmp_path / "unet.safetensors", {**UNET, "in_channels": 12})  # not 2x: no silent widening


def test_unet_config_without_mid_attention_norm_reports_unexpected_keys(tmp_path, unet):
    """With scale_shift, diffusers drops the mid-block attention norm unless attn_norm_num_groups is set."""
    save_file(unet_to_ldm(unet), tmp_path / "unet.safetensors")
    config = {k: v for k, v in UNET.items() if k != "attn_norm_num_groups"}
    with pytest.raises(CheckpointError, match=r"2 unexpected \(mid_block.attentions.0.group_norm.bias"):
        load_ldm_unet(tmp_path / "unet.safetensors", config)


def legacy_attention_block(x: torch.Tensor, sd: dict[str, torch.Tensor], name: str, heads: int, groups: int):
    """openaimodel's AttentionBlock with QKVAttentionLegacy, written from the LDM source."""
    b, c, h, w = x.shape
    flat = x.reshape(b, c, -1)
    normed = F.group_norm(flat, groups, sd[f"{name}.norm.weight"], sd[f"{name}.norm.bias"])
    qkv = F.conv1d(normed, sd[f"{name}.qkv.weight"], sd[f"{name}.qkv.bias"])
    ch = c // heads
    q, k, v = qkv.reshape(b * heads, 3 * ch, -1).split(ch, dim=1)
    scale = 1 / math.sqrt(math.sqrt(ch))
    weight = torch.einsum("bct,bcs->bts", q * scale, k * scale).softmax(dim=-1)
    a = torch.einsum("bts,bcs->bct", weight, v).reshape(b, c, -1)
    return (flat + F.conv1d(a, sd[f"{name}.proj_out.weight"], sd[f"{name}.proj_out.bias"])).reshape(b, c, h, w)


def test_attention_matches_ldm_legacy_qkv_order(tmp_path, unet):
    """Checks the qkv split against openaimodel's own arithmetic, not against this file's inverse map."""
    ldm = unet_to_ldm(unet)
    save_file(ldm, tmp_path / "unet.safetensors")
    loaded = load_ldm_unet(tmp_path / "unet.safetensors", UNET)
    x = torch.randn(2, 32, 4, 4, generator=torch.Generator().manual_seed(7))
    with torch.no_grad():
        expected = legacy_attention_block(x, ldm, "input_blocks.1.1", heads=4, groups=8)
        torch.testing.assert_close(loaded.down_blocks[0].attentions[0](x), expected, atol=1e-5, rtol=1e-5)


class Callback:
    """Stands for the training objects (e.g. Lightning callbacks) some .ckpt files pickle."""


def test_read_state_dict_errors(tmp_path):
    with pytest.raises(CheckpointError, match="absent.ckpt"):
        read_state_dict(tmp_path / "absent.ckpt")
    torch.save({"state_dict": {"w": torch.ones(1)}, "callback": Callback()}, tmp_path / "pickled.ckpt")
    with pytest.raises(CheckpointError, match="pickled.ckpt.*cannot read it"):
        read_state_dict(tmp_path / "pickled.ckpt")
    (tmp_path / "config.json").write_text(json.dumps({}))
    with pytest.raises(CheckpointError, match="unknown checkpoint type"):
        read_state_dict(tmp_path / "config.json")
    with pytest.raises(CheckpointError, match="absent.safetensors"):
        load_kl_autoencoder(tmp_path / "absent.safetensors")


def test_cli_trains_from_an_sd_single_file_and_an_ldm_unet(tmp_path, disc_dataset, micro_dict):
    """`sdseg train --first-stage sd.ckpt --unet-init ldm.ckpt`: both load offline, conv_in is zero-widened."""
    from sdseg.cli.main import main
    from sdseg.models import SDSegModel, build_autoencoder

    micro_dict["autoencoder"]["norm_num_groups"] = 32  # SD's, the one a CompVis file implies
    micro_dict["autoencoder"]["block_out_channels"] = [32, 32, 32, 32]
    micro_dict["unet"]["norm_num_groups"] = 16
    (tmp_path / "preset.json").write_text(json.dumps(micro_dict))
    first_stage = randomized(build_autoencoder(micro_dict["autoencoder"], 32))
    ldm_unet = randomized(UNet2DModel(**{**micro_dict["unet"], "sample_size": 4, "in_channels": 4,
                                         "out_channels": 4}))
    torch.save({"state_dict": prefixed(vae_to_ldm(first_stage), "first_stage_model.")
                | prefixed(unet_to_ldm(ldm_unet), LDM_UNET_PREFIX)}, tmp_path / "sd.ckpt")
    assert main(["train", str(disc_dataset), "--first-stage", str(tmp_path / "sd.ckpt"), "--unet-init",
                 str(tmp_path / "sd.ckpt"), "-o", str(tmp_path / "run"), "--config", str(tmp_path / "preset.json"),
                 "--set", "training.steps=1", "--set", "training.lr=0"]) == 0
    model = SDSegModel.from_pretrained(tmp_path / "run" / "last")
    conv_in = model.denoiser.unet.conv_in.weight
    assert torch.equal(conv_in[:, :4], ldm_unet.conv_in.weight) and not conv_in[:, 4:].any()
    image = torch.rand(1, 3, 32, 32) * 2 - 1
    with torch.no_grad():
        assert torch.allclose(model.vae.encode(image).latent_dist.mean, first_stage.encode(image).latent_dist.mean,
                              atol=1e-6)
