"""Tiny first stages (TAESD, taef2): loading, deterministic latents, vision encoders, SDSeg around them."""

from pathlib import Path

import pytest
import torch
from diffusers import AutoencoderTiny

from sdseg.errors import CheckpointError
from sdseg.models import SDSegModel, TAEF2Autoencoder, TinyEncoder, load_autoencoder, vision_encoder_for
from sdseg.models.first_stage import ae_output_to_probability, mask_to_ae_input
from sdseg.models.taef2 import ORIGINAL_FILES

TAEF2 = Path(__file__).resolve().parents[2] / "shared" / "weights" / "taef2"
SMALL_TAEF2 = {"latent_channels": 8, "encoder_block_out_channels": (8, 8, 8, 8),
               "decoder_block_out_channels": (8, 8, 8, 8), "num_encoder_blocks": (1, 1, 1, 2),
               "num_decoder_blocks": (2, 1, 1, 1), "pooled_blocks": 2}
SMALL_TAESD = {"latent_channels": 4, "encoder_block_out_channels": (8, 8, 8, 8),
               "decoder_block_out_channels": (8, 8, 8, 8), "num_encoder_blocks": (1, 1, 1, 1),
               "num_decoder_blocks": (1, 1, 1, 1)}


def _randomised(model: torch.nn.Module) -> torch.nn.Module:
    """Random (not default-initialised) weights, so equality checks cannot pass by accident."""
    torch.manual_seed(0)
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0, 0.2)
    return model.eval()


def _image(batch: int = 2, channels: int = 3, size: int = 32) -> torch.Tensor:
    return torch.rand(batch, channels, size, size, generator=torch.Generator().manual_seed(1)) * 2 - 1


def test_taef2_saved_and_loaded_gives_identical_latents_and_images(tmp_path):
    model = _randomised(TAEF2Autoencoder(**SMALL_TAEF2))
    model.save_pretrained(tmp_path / "fs")
    loaded = load_autoencoder(tmp_path / "fs")
    assert isinstance(loaded, TAEF2Autoencoder)
    image = _image()
    with torch.no_grad():
        z = model.encode(image).latents
        assert z.shape == (2, 8, 4, 4)
        assert torch.equal(loaded.encode(image).latents, z)
        assert torch.equal(loaded.decode(z).sample, model.decode(z).sample)


def test_taef2_reads_the_upstream_sequential_state_dicts(tmp_path):
    model = _randomised(TAEF2Autoencoder())
    for part, name in zip(("encoder", "decoder"), ORIGINAL_FILES):
        upstream = {k.removeprefix("layers."): v.half() for k, v in getattr(model, part).state_dict().items()}
        torch.save(upstream, tmp_path / name)
    loaded = TAEF2Autoencoder.from_original(tmp_path)
    assert isinstance(load_autoencoder(tmp_path), TAEF2Autoencoder)
    image = _image(1, size=16)
    with torch.no_grad():
        expected = TAEF2Autoencoder().eval()
        expected.load_state_dict({k: v.half().float() for k, v in model.state_dict().items()})
        assert torch.equal(loaded.encode(image).latents, expected.encode(image).latents)


def test_taef2_with_foreign_keys_is_a_clear_error(tmp_path):
    for name in ORIGINAL_FILES:
        torch.save({"0.weight": torch.zeros(1)}, tmp_path / name)
    with pytest.raises(CheckpointError, match="not the taef2 layout"):
        TAEF2Autoencoder.from_original(tmp_path)


def test_taesd_folder_loads_as_autoencoder_tiny_with_deterministic_latents(tmp_path):
    torch.manual_seed(0)
    AutoencoderTiny(**SMALL_TAESD).save_pretrained(tmp_path / "taesd")
    vae = load_autoencoder(tmp_path / "taesd")
    assert isinstance(vae, AutoencoderTiny)
    image = _image()
    with torch.no_grad():
        assert torch.equal(vae.encode(image).latents, vae.encode(image).latents)


@pytest.mark.parametrize("kind", ["taesd", "taef2"])
def test_tiny_vision_encoder_starts_as_the_first_stage_encoder(kind):
    torch.manual_seed(0)
    vae = AutoencoderTiny(**SMALL_TAESD) if kind == "taesd" else _randomised(TAEF2Autoencoder(**SMALL_TAEF2))
    encoder = vision_encoder_for(vae)
    assert isinstance(encoder, TinyEncoder)
    image = _image()
    with torch.no_grad():
        assert torch.allclose(encoder(image), vae.encode(image).latents, atol=1e-6)
        two = vision_encoder_for(vae, in_channels=2)
        grey = image[:, :1]
        assert torch.allclose(two(grey.expand(-1, 2, -1, -1)), encoder(grey.expand(-1, 3, -1, -1)), rtol=1e-4, atol=1e-4)


def test_sdseg_around_taef2_trains_predicts_and_round_trips(micro_preset, tmp_path):
    torch.manual_seed(0)
    vae = _randomised(TAEF2Autoencoder(**SMALL_TAEF2))
    model = SDSegModel.from_preset(micro_preset, vae).eval()
    assert model.denoiser.unet.config.in_channels == 16 and model.denoiser.unet.config.out_channels == 8
    mask = (torch.rand(2, 1, 32, 32) > 0.5).float()
    assert torch.equal(model.encode_masks(mask), model.encode_masks(mask))  # no posterior sampling
    image = _image()
    assert model.predict_proba(image, [0, 1]).shape == (2, 1, 32, 32)
    model.save_pretrained(tmp_path / "model")
    loaded = SDSegModel.from_pretrained(tmp_path / "model")
    assert isinstance(loaded.denoiser.vision_encoder, TinyEncoder)
    assert torch.equal(loaded.predict_proba(image, [0, 1], steps=2), model.predict_proba(image, [0, 1], steps=2))


def test_unsupported_first_stage_class_is_a_clear_error(tmp_path):
    (tmp_path / "config.json").write_text('{"_class_name": "UNet2DModel"}')
    with pytest.raises(CheckpointError, match="not a first stage"):
        load_autoencoder(tmp_path)


@pytest.mark.skipif(not TAEF2.is_dir(), reason=f"taef2 weights not found at {TAEF2} (only on development machines)")
def test_real_taef2_reconstructs_masks():
    vae = load_autoencoder(TAEF2)
    yy, xx = torch.meshgrid(torch.arange(64.0), torch.arange(64.0), indexing="ij")
    mask = ((((yy - 30) / 16) ** 2 + ((xx - 34) / 10) ** 2) < 1).float()[None, None]
    with torch.no_grad():
        decoded = ae_output_to_probability(vae.decode(vae.encode(mask_to_ae_input(mask)).latents).sample) > 0.5
    dice = 2 * (decoded & (mask > 0)).sum() / (decoded.sum() + mask.sum())
    assert dice > 0.95


def test_vision_encoder_lent_by_another_autoencoder_keeps_all_but_its_output_layer():
    """A taef2 encoder around a 4-channel mask latent: every layer but the last is taef2's, c has 4 channels."""
    lender = _randomised(TAEF2Autoencoder(**SMALL_TAEF2))
    encoder = vision_encoder_for(lender, latent_channels=4)
    assert isinstance(encoder, TinyEncoder) and encoder.config.latent_channels == 4
    own, lent = encoder.state_dict(), lender.encoder.state_dict()
    last = f"layers.{len(encoder.layers) - 1}."
    assert all(torch.equal(own[k], v) for k, v in lent.items() if not k.startswith(last))
    assert own[last + "weight"].shape[0] == 4
    assert encoder(_image()).shape == (2, 4, 4, 4)


def test_cli_trains_with_a_vision_encoder_from_another_autoencoder(tmp_path, disc_dataset, micro_dict):
    """`sdseg train --vision-encoder-init TAEF2`: the KL first stage stays, the vision encoder is taef2's."""
    import json

    from diffusers import AutoencoderKL

    from sdseg.cli.main import main
    from sdseg.models import build_autoencoder

    (tmp_path / "preset.json").write_text(json.dumps(micro_dict))
    build_autoencoder(micro_dict["autoencoder"], 32).save_pretrained(tmp_path / "kl")
    lender = _randomised(TAEF2Autoencoder(**SMALL_TAEF2))
    lender.save_pretrained(tmp_path / "lender")
    assert main(["train", str(disc_dataset), "--first-stage", str(tmp_path / "kl"), "-o", str(tmp_path / "run"),
                 "--config", str(tmp_path / "preset.json"), "--vision-encoder-init", str(tmp_path / "lender"),
                 "--set", "training.steps=1", "--set", "training.lr=0"]) == 0
    model = SDSegModel.from_pretrained(tmp_path / "run" / "last")
    encoder = model.denoiser.vision_encoder
    assert isinstance(model.vae, AutoencoderKL) and isinstance(encoder, TinyEncoder)
    assert encoder.config.latent_channels == model.latent_channels
    assert torch.equal(encoder.layers[1].conv[0].weight, lender.encoder.layers[1].conv[0].weight)
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["initialised_from"] == {"unet": None, "vision_encoder": str(tmp_path / "lender")}
    resume = ["train", str(disc_dataset), "--first-stage", str(tmp_path / "kl"), "-o", str(tmp_path / "run"),
              "--config", str(tmp_path / "preset.json"), "--resume", "--set", "training.steps=2"]
    assert main(resume) == 2  # without the lender the vision encoder has the first stage's architecture
    assert main(resume + ["--vision-encoder-init", str(tmp_path / "lender")]) == 0
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["steps"] == 2 and summary["initialised_from"]["vision_encoder"] == str(tmp_path / "lender")


def test_kl_overrides_on_a_tiny_encoder_say_how_to_clear_them():
    from sdseg.errors import ConfigError

    with pytest.raises(ConfigError, match=r"vision_encoder=\{\}"):
        vision_encoder_for(TAEF2Autoencoder(**SMALL_TAEF2), overrides={"layers_per_block": 2}, latent_channels=4)
