import pytest
import torch
from diffusers import UNet2DModel

from sdseg.data.label_scheme import LabelScheme
from sdseg.errors import CheckpointError, ConfigError
from sdseg.models import SDSegModel, VisionEncoder, build_autoencoder
from sdseg.models.sdseg import predicted_original


def test_vision_encoder_starts_as_the_first_stage_encoder(micro_model):
    image = torch.rand(2, 3, 32, 32) * 2 - 1
    expected = micro_model.vae.encode(image).latent_dist.mean
    assert torch.allclose(micro_model.denoiser.vision_encoder(image), expected, atol=1e-6)
    assert all(not p.requires_grad for p in micro_model.vae.parameters())
    assert all(p.requires_grad for p in micro_model.denoiser.parameters())


def test_unet_sees_noisy_latent_and_image_latent(micro_model):
    assert micro_model.denoiser.unet.config.in_channels == 8
    assert micro_model.denoiser.unet.config.out_channels == 4
    assert micro_model.latent_size == 4  # 32 px / 8


def test_single_step_shape_and_range(micro_model):
    probability = micro_model.predict_proba(torch.zeros(3, 3, 32, 32), seeds=[0, 1, 2], steps=1)
    assert probability.shape == (3, 1, 32, 32)
    assert probability.min() >= 0 and probability.max() <= 1


def test_single_step_is_x0_from_one_unet_call_at_t_max(micro_model):
    image = torch.rand(2, 3, 32, 32) * 2 - 1
    noise = micro_model.initial_noise([5, 6])
    c = micro_model.denoiser.condition(image)
    t = torch.full((2,), 999)
    expected = predicted_original(micro_model.scheduler, noise, t, micro_model.denoiser.predict(noise, t, c))
    assert torch.allclose(micro_model.sample_latents(c, noise, steps=1), expected, atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize("steps", [2, 10])
def test_ddim_runs_k_unet_calls(micro_model, steps, monkeypatch):
    calls = []
    original = micro_model.denoiser.predict

    def counting(z, t, c, class_labels=None):
        calls.append(int(t[0]))
        return original(z, t, c, class_labels)

    monkeypatch.setattr(micro_model.denoiser, "predict", counting)
    probability = micro_model.predict_proba(torch.zeros(1, 3, 32, 32), seeds=[0], steps=steps)
    assert probability.shape == (1, 1, 32, 32)
    assert len(calls) == steps and calls[0] == 999 and calls == sorted(calls, reverse=True)


def test_predictions_depend_on_seed_not_on_batch(micro_model):
    image = torch.rand(3, 3, 32, 32) * 2 - 1
    together = micro_model.predict_proba(image, seeds=[0, 1, 2])
    alone = micro_model.predict_proba(image[1:2], seeds=[1])
    assert torch.allclose(together[1:2], alone, atol=1e-5)


def test_save_and_load_give_identical_predictions(micro_model, tmp_path):
    micro_model.set_scale_factor(0.37)
    micro_model.save_pretrained(tmp_path / "model")
    assert (tmp_path / "model" / "unet" / "diffusion_pytorch_model.safetensors").is_file()
    assert (tmp_path / "model" / "first_stage" / "config.json").is_file()
    loaded = SDSegModel.from_pretrained(tmp_path / "model")
    assert loaded.config.scale_factor == pytest.approx(0.37) and loaded.denoiser.scale_factor == pytest.approx(0.37)
    image = torch.rand(2, 3, 32, 32) * 2 - 1
    for steps in (1, 3):
        assert torch.equal(micro_model.predict_proba(image, [0, 1], steps), loaded.predict_proba(image, [0, 1], steps))


def test_missing_model_folder_is_a_clear_error(tmp_path):
    with pytest.raises(CheckpointError, match="not an sdseg model folder"):
        SDSegModel.from_pretrained(tmp_path)


def test_mismatched_unet_is_a_clear_error(micro_model, tmp_path):
    micro_model.save_pretrained(tmp_path / "model")
    UNet2DModel(sample_size=4, in_channels=6, out_channels=3, block_out_channels=(8,), norm_num_groups=4,
                down_block_types=("DownBlock2D",), up_block_types=("UpBlock2D",)).save_pretrained(tmp_path / "model" / "unet")
    with pytest.raises(CheckpointError, match="latent channels"):
        SDSegModel.from_pretrained(tmp_path / "model")


def test_vision_encoder_round_trips_through_save_pretrained(micro_model, tmp_path):
    encoder = micro_model.denoiser.vision_encoder
    encoder.save_pretrained(tmp_path / "ve")
    loaded = VisionEncoder.from_pretrained(tmp_path / "ve")
    image = torch.rand(1, 3, 32, 32)
    assert torch.equal(encoder(image), loaded(image))


def test_multiclass_model_predicts_one_map_per_class(micro_preset, tmp_path):
    torch.manual_seed(0)
    model = SDSegModel.from_preset(micro_preset, build_autoencoder(micro_preset.autoencoder, 32), labels=LabelScheme.plain(3),
                                   in_channels=2, normalization=["zscore", "zscore"]).eval()
    assert model.denoiser.unet.config.num_class_embeds == 3
    image = torch.rand(2, 2, 32, 32) * 2 - 1
    probability = model.predict_proba(image, seeds=[0, 1])
    assert probability.shape == (2, 3, 32, 32) and 0 <= probability.min() and probability.max() <= 1
    assert not torch.equal(probability[:, 0], probability[:, 1])  # the class embedding matters
    c, noise = model.denoiser.condition(image), model.initial_noise([0, 1])
    for k in range(3):  # the batched B*K call equals sampling each class on its own
        z0 = model.sample_latents(c, noise, 1, torch.full((2,), k))
        assert torch.allclose(probability[:, k:k + 1], model.decode_probabilities(z0), atol=1e-5)
    model.save_pretrained(tmp_path / "m")
    loaded = SDSegModel.from_pretrained(tmp_path / "m")
    assert loaded.config.num_classes == 3 and loaded.config.normalization == ["zscore", "zscore"]
    assert torch.equal(loaded.predict_proba(image, seeds=[0, 1]), probability)


def test_plain_labels_take_the_best_class_above_one_half():

    p = torch.tensor([[0.2, 0.7, 0.6, 0.3], [0.4, 0.6, 0.9, 0.1]])[:, None, :]  # (K=2, H=1, W=4)
    assert LabelScheme.plain(2).to_labels(p).tolist() == [[0, 1, 2, 0]]
    assert LabelScheme.plain(1).to_labels(torch.tensor([[[0.4, 0.6]]])).tolist() == [[0, 1]]  # binary: threshold


def test_vision_encoder_for_other_channel_counts_keeps_the_grey_response(micro_preset):

    vae = build_autoencoder(micro_preset.autoencoder, 32)
    rgb, two = VisionEncoder.from_autoencoder(vae), VisionEncoder.from_autoencoder(vae, in_channels=2)
    assert two.config.in_channels == 2
    grey = torch.rand(1, 1, 32, 32)
    with torch.no_grad():
        assert torch.allclose(rgb(grey.expand(-1, 3, -1, -1)), two(grey.expand(-1, 2, -1, -1)), atol=1e-5)


def test_vision_encoder_image_downscale_drops_a_level_and_keeps_c_at_z0s_size(micro_preset, tmp_path):

    micro_preset.vision_encoder = {"block_out_channels": [8, 16, 16], "image_downscale": 2}
    torch.manual_seed(0)
    model = SDSegModel.from_preset(micro_preset, build_autoencoder(micro_preset.autoencoder, 32)).eval()
    encoder = model.denoiser.vision_encoder
    assert len(encoder.encoder.down_blocks) == 3 and encoder.config.image_downscale == 2
    image = torch.rand(2, 3, 32, 32) * 2 - 1
    with torch.no_grad():
        c, z0 = model.denoiser.condition(image), model.vae.encode(image).latent_dist.mean
        # the encoder sees the image averaged over 2x2 blocks: a blocky image at full size is the same input
        blocky = torch.nn.functional.interpolate(torch.nn.functional.avg_pool2d(image, 2), scale_factor=2)
        assert torch.allclose(model.denoiser.condition(blocky), c, atol=1e-5)
    assert c.shape == z0.shape == (2, 4, 4, 4)
    model.save_pretrained(tmp_path / "m")  # prediction reads the downscale from the saved config
    loaded = SDSegModel.from_pretrained(tmp_path / "m")
    assert loaded.denoiser.vision_encoder.config.image_downscale == 2
    assert torch.equal(loaded.predict_proba(image, seeds=[0, 1]), model.predict_proba(image, seeds=[0, 1]))


def test_vision_encoder_unshuffle_downscale_keeps_every_pixel(micro_preset, tmp_path):

    micro_preset.vision_encoder = {"block_out_channels": [8, 16, 16], "image_downscale": 2,
                                   "image_downscale_mode": "unshuffle"}
    torch.manual_seed(0)
    model = SDSegModel.from_preset(micro_preset, build_autoencoder(micro_preset.autoencoder, 32)).eval()
    encoder = model.denoiser.vision_encoder
    assert len(encoder.encoder.down_blocks) == 3 and encoder.encoder.conv_in.in_channels == 12
    image = torch.rand(2, 3, 32, 32) * 2 - 1
    blocky = torch.nn.functional.interpolate(torch.nn.functional.avg_pool2d(image, 2), scale_factor=2)
    with torch.no_grad():
        c = model.denoiser.condition(image)
        assert c.shape == model.vae.encode(image).latent_dist.mean.shape == (2, 4, 4, 4)
        # from the first stage's input conv, widened alike over the 12 channels, it starts as the averaging
        # encoder does; its per-pixel weights are free to learn, and then the detail inside a block reaches c
        assert torch.allclose(model.denoiser.condition(blocky), c, atol=1e-5)
        encoder.encoder.conv_in.weight.normal_()
        assert not torch.allclose(model.denoiser.condition(blocky), model.denoiser.condition(image), atol=1e-3)
    model.save_pretrained(tmp_path / "m")
    loaded = SDSegModel.from_pretrained(tmp_path / "m")
    assert loaded.denoiser.vision_encoder.config.image_downscale_mode == "unshuffle"
    assert torch.equal(loaded.predict_proba(image, seeds=[0, 1]), model.predict_proba(image, seeds=[0, 1]))
    with pytest.raises(ConfigError, match="image_downscale_mode"):
        VisionEncoder(block_out_channels=(8, 16), image_downscale=2, image_downscale_mode="nearest")


def test_vision_encoder_extra_channels_widen_c_and_the_unet_input(micro_preset, tmp_path):

    micro_preset.vision_encoder = {"extra_channels": 6}
    torch.manual_seed(0)
    model = SDSegModel.from_preset(micro_preset, build_autoencoder(micro_preset.autoencoder, 32)).eval()
    assert model.denoiser.vision_encoder.out_channels == 10
    assert model.denoiser.unet.config.in_channels == 4 + 10 and model.denoiser.unet.config.out_channels == 4
    image = torch.rand(2, 3, 32, 32) * 2 - 1
    with torch.no_grad():
        assert model.denoiser.condition(image).shape == (2, 10, 4, 4)
    model.save_pretrained(tmp_path / "m")  # prediction rebuilds the wider c from the saved config
    loaded = SDSegModel.from_pretrained(tmp_path / "m")
    assert loaded.denoiser.vision_encoder.config.extra_channels == 6
    probability = loaded.predict_proba(image, seeds=[0, 1])
    assert probability.shape == (2, 1, 32, 32)
    assert torch.equal(probability, model.predict_proba(image, seeds=[0, 1]))


def test_vision_encoder_widen_starts_a_wider_encoder_as_the_first_stage_encoder(micro_preset):
    """widen: twice the width (three times at the last levels) with extra channels in c, every tensor from the
    first stage's, and c's latent channels still its posterior mean; the copies of a channel differ."""
    vae = build_autoencoder(micro_preset.autoencoder, 32)
    torch.manual_seed(0)
    wide = VisionEncoder.from_autoencoder(
        vae, overrides={"block_out_channels": [16, 16, 48, 48], "extra_channels": 6, "widen": True}).eval()
    assert wide.pretrained_names == set(wide.state_dict())
    image = torch.rand(2, 3, 32, 32) * 2 - 1
    with torch.no_grad():
        c = wide(image)
        assert c.shape == (2, 10, 4, 4)
        assert torch.allclose(c[:, :4], vae.encode(image).latent_dist.mean, atol=1e-4)
        assert c[:, 4:].abs().mean() > 1e-3  # the extra channels start from scratch, not from zero
    conv = wide.encoder.down_blocks[0].resnets[0].conv1.weight  # 16 x 16: each input channel read by 2 copies
    assert not torch.allclose(conv[:, 0], conv[:, 1])
    assert torch.allclose(conv[:, 0] + conv[:, 1], vae.encoder.down_blocks[0].resnets[0].conv1.weight[:, 0]
                          .repeat_interleave(2, dim=0), atol=1e-6)


def test_vision_encoder_widen_needs_whole_multiples_of_the_first_stages_widths(micro_preset):

    vae = build_autoencoder(micro_preset.autoencoder, 32)
    with pytest.raises(ConfigError, match=r"down_blocks.2.* 24 channels .* has 16; widening needs a whole multiple"):
        VisionEncoder.from_autoencoder(vae, overrides={"block_out_channels": [16, 16, 24, 24], "widen": True})
    with pytest.raises(ConfigError, match="has no encoder.down_blocks.1.resnets.0.conv_shortcut.* keep .* equal widths"):
        VisionEncoder.from_autoencoder(vae, overrides={"block_out_channels": [8, 16, 16, 16], "widen": True})
    with pytest.raises(ConfigError, match="vision_encoder.widen 1: use true or false"):
        VisionEncoder.from_autoencoder(vae, overrides={"widen": 1})


def test_from_preset_draws_the_unets_weights_first_so_a_seed_repeats_earlier_runs(micro_preset):

    micro_preset.vision_encoder = {"extra_channels": 2}
    vae = build_autoencoder(micro_preset.autoencoder, 32)
    torch.manual_seed(0)
    model = SDSegModel.from_preset(micro_preset, vae)
    torch.manual_seed(0)
    unet = UNet2DModel.from_config(model.denoiser.unet.config)
    assert all(torch.equal(a, b) for a, b in zip(unet.parameters(), model.denoiser.unet.parameters()))


def test_a_unet_not_sized_for_the_extra_channels_is_refused(micro_preset):

    micro_preset.vision_encoder = {"extra_channels": 2}
    model = SDSegModel.from_preset(micro_preset, build_autoencoder(micro_preset.autoencoder, 32))
    narrow = UNet2DModel(**{**model.denoiser.unet.config, "in_channels": 8})
    with pytest.raises(CheckpointError, match="expected 10 in"):
        SDSegModel(model.vae, model.denoiser.vision_encoder, narrow, model.scheduler, model.config)
    with pytest.raises(ConfigError, match="extra_channels"):
        VisionEncoder(extra_channels=-1)


@pytest.mark.parametrize("overrides, message", [
    ({"image_downscale": 2}, "needs 3 levels"),  # the first stage's 4 levels kept: c would be half z0's size
    ({"block_out_channels": [8, 16, 16], "image_downscale": 3}, "power of two"),
])
def test_vision_encoder_image_downscale_rejects_a_c_of_the_wrong_size(micro_preset, overrides, message):

    with pytest.raises(ConfigError, match=message):
        VisionEncoder.from_autoencoder(build_autoencoder(micro_preset.autoencoder, 32), overrides=overrides)
