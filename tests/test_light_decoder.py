"""The light mask decoder: shapes, the optional model component, distillation, and the command line."""

import json

import numpy as np
import pytest
import torch
from PIL import Image

from sdseg.cli.main import main
from sdseg.config import DistillConfig
from sdseg.data.folder_dataset import SegmentationFolder
from sdseg.data.label_scheme import LabelScheme
from sdseg.errors import CheckpointError, ConfigError
from sdseg.models import SDSegModel, build_autoencoder
from sdseg.models.light_decoder import LightMaskDecoder
from sdseg.training.distill_decoder import distill_decoder, distill_loss, run_folder, teacher_pairs

MICRO_WIDTHS = (16, 8, 8)


def micro_light_decoder() -> LightMaskDecoder:
    torch.manual_seed(3)
    return LightMaskDecoder(latent_channels=4, upsample_factor=8, block_out_channels=MICRO_WIDTHS)


def test_light_decoder_maps_a_latent_to_a_soft_mask_eight_times_larger():
    decoder = LightMaskDecoder()
    latent = torch.randn(2, 4, 4, 6)
    mask = decoder(latent)
    assert mask.shape == (2, 1, 32, 48) and 0 <= mask.min() and mask.max() <= 1
    assert torch.allclose(torch.sigmoid(decoder(latent, return_logits=True)), mask)
    with pytest.raises(ConfigError, match="one width per 2x level"):
        LightMaskDecoder(upsample_factor=8, block_out_channels=(32, 16))


def test_model_with_a_light_decoder_round_trips_with_identical_predictions(micro_model, tmp_path):
    micro_model.set_light_decoder(micro_light_decoder())
    micro_model.save_pretrained(tmp_path / "model")
    assert (tmp_path / "model" / "light_decoder" / "config.json").is_file()
    loaded = SDSegModel.from_pretrained(tmp_path / "model")
    image = torch.rand(2, 3, 32, 32) * 2 - 1
    light = micro_model.predict_proba(image, [0, 1], decoder="light")
    assert light.shape == (2, 1, 32, 32)
    assert torch.equal(light, loaded.predict_proba(image, [0, 1], decoder="light"))
    assert torch.equal(micro_model.predict_proba(image, [0, 1]), loaded.predict_proba(image, [0, 1], decoder="full"))
    assert not torch.allclose(light, loaded.predict_proba(image, [0, 1]))  # "full" is still the default
    assert loaded.parameter_counts()["light_decoder"] == sum(p.numel() for p in micro_light_decoder().parameters())


def test_folders_without_a_light_decoder_load_and_refuse_decoder_light(micro_model, tmp_path):
    micro_model.save_pretrained(tmp_path / "model")
    loaded = SDSegModel.from_pretrained(tmp_path / "model")
    assert loaded.light_decoder is None and "light_decoder" not in loaded.parameter_counts()
    image = torch.zeros(1, 3, 32, 32)
    assert torch.allclose(loaded.predict_proba(image, [0]), micro_model.predict_proba(image, [0]), atol=1e-6)
    with pytest.raises(CheckpointError, match="sdseg distill-decoder"):
        loaded.predict_proba(image, [0], decoder="light")


def test_a_light_decoder_for_another_latent_is_refused(micro_model):
    with pytest.raises(CheckpointError, match="latent channels"):
        micro_model.set_light_decoder(LightMaskDecoder(latent_channels=32, block_out_channels=MICRO_WIDTHS))


@pytest.mark.parametrize("dice_weight", [DistillConfig().dice_loss_weight, 1.0])
def test_distillation_loss_falls_on_the_models_own_latents(micro_model, disc_dataset, dice_weight):
    with torch.no_grad():  # an untrained decoder gives ~0.5 everywhere; sharpen it into a target worth learning
        micro_model.vae.decoder.conv_out.weight *= 30
    dataset = SegmentationFolder(disc_dataset, "train", 32)
    batch = {"image": torch.stack([dataset[i]["image"] for i in range(4)])}
    torch.manual_seed(0)
    z0, target = teacher_pairs(micro_model, batch)
    assert torch.equal(target, micro_model.decode_probabilities(z0)) and target.std() > 0.3
    decoder = micro_light_decoder()
    optimizer = torch.optim.AdamW(decoder.parameters(), lr=3e-3)
    losses = []
    for _ in range(30):
        loss = distill_loss(decoder, z0, target, dice_weight)["loss"]
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert sum(losses[-5:]) / 5 < 0.8 * sum(losses[:5]) / 5


@pytest.fixture
def distill_preset(micro_preset):
    micro_preset.distill.steps, micro_preset.distill.batch_size, micro_preset.distill.warmup_steps = 4, 4, 1
    micro_preset.distill.val_every = micro_preset.distill.checkpoint_every = 2
    micro_preset.distill.block_out_channels = list(MICRO_WIDTHS)
    return micro_preset


def test_distill_writes_the_model_plus_light_decoder_and_leaves_the_input_alone(
    micro_model, distill_preset, disc_dataset, tmp_path
):
    micro_model.save_pretrained(tmp_path / "model")
    summary = distill_decoder(distill_preset, disc_dataset, tmp_path / "model", tmp_path / "out")
    assert summary["steps"] == 4 and [h["step"] for h in summary["history"]] == [2, 4]
    assert 0 <= summary["best_val_dice_single_step_light"] <= 1 and 0 <= summary["val_dice_single_step_full"] <= 1
    assert (tmp_path / "out" / "light_decoder" / "config.json").is_file()
    assert not (tmp_path / "model" / "light_decoder").exists()
    run = run_folder(tmp_path / "out")
    assert (run / "checkpoint").is_dir() and json.loads((run / "summary.json").read_text())["steps"] == 4
    distilled = SDSegModel.from_pretrained(tmp_path / "out")
    best = LightMaskDecoder.from_pretrained(run / "best")
    assert all(torch.equal(a, b) for a, b in zip(distilled.light_decoder.parameters(), best.parameters()))
    image = torch.rand(1, 3, 32, 32) * 2 - 1
    assert torch.allclose(distilled.predict_proba(image, [0]), micro_model.predict_proba(image, [0]), atol=1e-6)


def test_distilling_into_the_model_folder_itself_only_adds_the_light_decoder(
    micro_model, distill_preset, disc_dataset, tmp_path
):
    model = tmp_path / "model"
    micro_model.save_pretrained(model)
    (model / "notes.txt").write_text("kept")
    distill_decoder(distill_preset, disc_dataset, model, model)
    assert (model / "notes.txt").read_text() == "kept"
    assert SDSegModel.from_pretrained(model).light_decoder is not None


def test_distilling_over_a_folder_that_is_not_a_model_is_refused(micro_model, distill_preset, disc_dataset, tmp_path):
    micro_model.save_pretrained(tmp_path / "model")
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "summary.json").write_text("{}")
    with pytest.raises(CheckpointError, match="not a model folder"):
        distill_decoder(distill_preset, disc_dataset, tmp_path / "model", tmp_path / "run")


def test_volume_models_distil_on_their_slices(micro_preset, distill_preset, nnunet_dataset, tmp_path):
    torch.manual_seed(0)
    model = SDSegModel.from_preset(micro_preset, build_autoencoder(micro_preset.autoencoder, 32), labels=LabelScheme.plain(2),
                                   in_channels=2, normalization=["zscore", "zscore"])
    model.save_pretrained(tmp_path / "model")
    distill_preset.distill.batch_size = 2
    summary = distill_decoder(distill_preset, nnunet_dataset, tmp_path / "model", tmp_path / "out")
    assert summary["steps"] == 4 and 0 <= summary["best_val_dice_single_step_light"] <= 1
    probability = SDSegModel.from_pretrained(tmp_path / "out").predict_proba(torch.zeros(1, 2, 32, 32), [0],
                                                                             decoder="light")
    assert probability.shape == (1, 2, 32, 32)


def test_cli_distill_then_predict_with_the_light_decoder(micro_model, disc_dataset, micro_preset_file, tmp_path,
                                                         capsys):
    micro_model.save_pretrained(tmp_path / "model")
    assert main(["predict", str(disc_dataset), "--split", "test", "-m", str(tmp_path / "model"),
                 "-o", str(tmp_path / "none"), "--decoder", "light"]) == 2
    assert "sdseg distill-decoder" in capsys.readouterr().err
    assert main(["distill-decoder", str(disc_dataset), "-m", str(tmp_path / "model"), "-o", str(tmp_path / "out"),
                 "--config", str(micro_preset_file), "--set", "distill.steps=2", "--set", "distill.batch_size=4",
                 "--set", "distill.block_out_channels=[16, 8, 8]"]) == 0
    assert "val Dice (1 step), light" in capsys.readouterr().out
    assert json.loads((run_folder(tmp_path / "out") / "preset.json").read_text())["distill"]["steps"] == 2
    assert main(["predict", str(disc_dataset), "--split", "test", "-m", str(tmp_path / "out"),
                 "-o", str(tmp_path / "pred"), "--decoder", "light"]) == 0
    masks = sorted((tmp_path / "pred").glob("*.png"))
    assert [m.stem for m in masks] == ["case13", "case14", "case15"]
    assert all(np.asarray(Image.open(m)).shape == (40, 48) for m in masks)
    assert main(["stability", str(disc_dataset), "--split", "test", "-m", str(tmp_path / "out"),
                 "-o", str(tmp_path / "stability"), "--runs", "2", "--decoder", "light"]) == 0
    assert json.loads((tmp_path / "stability" / "stability.json").read_text())["decoder"] == "light"
    with pytest.raises(SystemExit):
        main(["distill-decoder", "--help"])
    assert "light_decoder/" in capsys.readouterr().out
