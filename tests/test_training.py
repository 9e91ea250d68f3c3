import json
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import torch
from accelerate import Accelerator
from diffusers.training_utils import EMAModel
from safetensors.torch import load_file

from sdseg.config import AugmentationConfig
from sdseg.data.folder_dataset import SegmentationFolder
from sdseg.errors import CheckpointError, ConfigError, DataError, DivergenceError
from sdseg.models import SDSegModel, load_autoencoder
from sdseg.models.first_stage import encoder_output, mask_to_ae_input
from sdseg.training import sdseg_trainer
from sdseg.training.autoencoder import ReconstructionLoss, train_autoencoder
from sdseg.training.loop import MAX_SKIPPED_IN_A_ROW, Optimization, make_ema, make_loader, native_bf16_flag
from sdseg.training.mask_encoding_cache import MaskEncodingCache
from sdseg.training.losses import sdseg_loss
from sdseg.training.sdseg_trainer import encoder_lr_groups, suggest_bf16, train_sdseg


def overfit(parameters, loss_fn, steps=40, lr=3e-3):
    optimizer = torch.optim.AdamW(parameters, lr=lr)
    losses = []
    for _ in range(steps):
        loss = loss_fn()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def batch_of(dataset, n=4):
    items = [dataset[i] for i in range(n)]
    return {"image": torch.stack([i["image"] for i in items]), "mask": torch.stack([i["mask"] for i in items])}


def test_sdseg_loss_falls_when_overfitting_a_few_samples(micro_model, disc_dataset):
    torch.manual_seed(0)
    batch = batch_of(SegmentationFolder(disc_dataset, "train", 32))
    micro_model.denoiser.train()

    def loss_with_fixed_noise_and_timesteps():
        torch.manual_seed(1)
        return sdseg_loss(micro_model, micro_model.denoiser, batch)["loss"]

    losses = overfit(micro_model.denoiser.parameters(), loss_with_fixed_noise_and_timesteps)
    assert sum(losses[-5:]) / 5 < 0.6 * sum(losses[:5]) / 5


def test_autoencoder_loss_falls_when_overfitting_a_few_masks(micro_model, disc_dataset):
    torch.manual_seed(0)
    vae = micro_model.vae.requires_grad_(True).train()
    x = batch_of(SegmentationFolder(disc_dataset, "train", 32))["mask"].expand(-1, 3, -1, -1) * 2 - 1
    objective = ReconstructionLoss(vae, kl_weight=1e-6)
    losses = overfit(vae.parameters(), lambda: objective(x)["loss"])
    assert sum(losses[-5:]) / 5 < 0.6 * sum(losses[:5]) / 5


@pytest.fixture
def first_stage(micro_preset, disc_dataset, tmp_path):
    summary = train_autoencoder(micro_preset, disc_dataset, tmp_path / "ae")
    assert summary["steps"] == 6 and 0 <= summary["val_mask_round_trip_dice"] <= 1
    return tmp_path / "ae" / "best"


def test_train_autoencoder_writes_best_last_and_checkpoint(first_stage):
    run = first_stage.parent
    for folder in ("best", "last"):
        assert (run / folder / "config.json").is_file()
        assert (run / folder / "diffusion_pytorch_model.safetensors").is_file()
    assert (run / "checkpoint" / "model.safetensors").is_file()
    assert json.loads((run / "summary.json").read_text())["steps"] == 6


def test_the_first_stage_trains_on_crops_and_still_encodes_whole_images(micro_preset, disc_dataset, tmp_path):
    micro_preset.autoencoder_training.crop_size = 16
    summary = train_autoencoder(micro_preset, disc_dataset, tmp_path / "ae")
    assert summary["steps"] == 6 and 0 <= summary["val_mask_round_trip_dice"] <= 1
    vae = load_autoencoder(tmp_path / "ae" / "best")
    assert vae.encode(torch.zeros(1, 3, 32, 32)).latent_dist.mode().shape == (1, 4, 4, 4)


@pytest.mark.parametrize("crop_size", [12, 64])
def test_a_crop_that_is_no_whole_latent_or_exceeds_the_image_is_refused(micro_preset, disc_dataset, tmp_path,
                                                                       crop_size):
    micro_preset.autoencoder_training.crop_size = crop_size
    with pytest.raises(ConfigError, match=f"crop_size {crop_size}.*multiple of 8"):
        train_autoencoder(micro_preset, disc_dataset, tmp_path / "ae")
    assert not (tmp_path / "ae" / "last").exists()


def test_train_writes_loadable_models_and_trainable_only_checkpoint(micro_preset, disc_dataset, first_stage, tmp_path):
    summary = train_sdseg(micro_preset, disc_dataset, first_stage, tmp_path / "run")
    assert summary["steps"] == 6 and summary["scale_factor"] > 0 and summary["skipped_updates_this_run"] == 0
    assert [h["step"] for h in summary["history"]] == [3, 6]
    assert all(0 < h["grad_norm"] < float("inf") for h in summary["history"])  # recorded before clipping
    assert 0 < summary["masks_encoded_this_run"] <= 6 * 4  # flips only: the mask encodings were cached
    model = SDSegModel.from_pretrained(tmp_path / "run" / "best")
    assert model.config.scale_factor == pytest.approx(summary["scale_factor"])
    weights = load_file(tmp_path / "run" / "checkpoint" / "model.safetensors")
    assert weights and all(k.startswith(("vision_encoder.", "unet.")) for k in weights)


def test_a_faded_loss_term_stops_being_computed_at_its_fade_step(micro_preset, disc_dataset, first_stage, tmp_path):
    micro_preset.training.loss_weights = {"prediction": 1.0, "latent": 1.0}
    micro_preset.training.loss_fade_steps = {"latent": 4}  # weights 1, 0.75, 0.5, 0.25 over steps 1-4, then 0
    history = train_sdseg(micro_preset, disc_dataset, first_stage, tmp_path / "run")["history"]
    assert [h["step"] for h in history] == [3, 6]
    assert "latent" in history[0] and "latent" not in history[1] and "prediction" in history[1]


def test_coarse_steps_train_at_the_coarse_size_then_at_the_image_size(
        micro_preset, disc_dataset, first_stage, tmp_path, monkeypatch):
    micro_preset.training.coarse_size, micro_preset.training.coarse_steps = 16, 4
    sizes = []
    loss = sdseg_trainer.sdseg_loss
    monkeypatch.setattr(sdseg_trainer, "sdseg_loss", lambda model, module, batch, *args: sizes.append(
        tuple(batch["image"].shape[-2:])) or loss(model, module, batch, *args))
    summary = train_sdseg(micro_preset, disc_dataset, first_stage, tmp_path / "run")
    assert sizes == [(16, 16)] * 4 + [(32, 32)] * 2
    assert summary["steps"] == 6 and all(0 <= h["val_dice"] <= 1 for h in summary["history"])
    assert summary["masks_encoded_this_run"] > 0


def test_foreground_fraction_reaches_the_training_draws(micro_preset, disc_dataset, first_stage, tmp_path, monkeypatch):
    # 2 of the disc set's 10 training masks are empty; at 0.6 they are drawn three times (6 of 14 an epoch), and
    # an epoch of 3 batches of 4 leaves out only 2 items, so 6 steps see at least 8 empty masks (at most 6 without)
    micro_preset.training.foreground_fraction = 0.6
    empty = []
    loss = sdseg_trainer.sdseg_loss
    monkeypatch.setattr(sdseg_trainer, "sdseg_loss", lambda model, module, batch, *args: empty.append(
        int((batch["mask"].flatten(1).sum(1) == 0).sum())) or loss(model, module, batch, *args))
    train_sdseg(micro_preset, disc_dataset, first_stage, tmp_path / "run")
    assert len(empty) == 6 and sum(empty) >= 8


def test_a_preset_edited_after_loading_is_checked_before_training_writes_anything(micro_preset, disc_dataset, tmp_path):
    micro_preset.training.coarse_size = 24  # without coarse_steps, and not a multiple of the downsampling
    with pytest.raises(ConfigError, match="coarse_size 24"):  # before the (absent) first stage is opened
        train_sdseg(micro_preset, disc_dataset, tmp_path / "no_first_stage", tmp_path / "run")
    with pytest.raises(ConfigError, match="coarse_size 24"):  # the whole preset, as load_preset checks it
        train_autoencoder(micro_preset, disc_dataset, tmp_path / "ae")
    assert not (tmp_path / "run").exists() and not (tmp_path / "ae").exists()


def test_mask_encoding_cache_encodes_each_distinct_mask_once_and_changes_no_latent(micro_model, monkeypatch):
    torch.manual_seed(0)
    masks = (torch.rand(3, 1, 32, 32) > 0.5).float()
    batch = torch.cat([masks, masks[:2].flip(-1), masks[:1]])  # 6 items, 5 distinct masks
    vae = micro_model.vae
    direct = encoder_output(vae, mask_to_ae_input(batch))
    encoded_items = []
    encode = vae.encode
    monkeypatch.setattr(vae, "encode", lambda x: encoded_items.append(len(x)) or encode(x))
    cache = MaskEncodingCache(vae)
    cached = cache(batch)
    assert len(cache) == 5 and encoded_items == [5]
    assert torch.allclose(cached, direct, atol=1e-5)
    cache(torch.cat([masks[2:], masks[1:2].flip(-1)]))  # seen before: nothing is encoded
    assert encoded_items == [5]
    with_cache = micro_model.encode_masks(batch, torch.Generator().manual_seed(1), cache=cache)
    monkeypatch.undo()
    without = micro_model.encode_masks(batch, torch.Generator().manual_seed(1))
    assert torch.allclose(with_cache, without, atol=1e-5)  # the same posterior, the same sample


def test_augmentation_that_warps_masks_is_known_to_the_cache_policy():
    assert not AugmentationConfig().warps_masks and not AugmentationConfig(brightness=0.2, contrast=0.2).warps_masks
    assert all(AugmentationConfig(**{k: 0.1}).warps_masks for k in ("rotate_degrees", "scale", "shift"))


def test_resume_continues_the_step_count_and_matches_an_uninterrupted_run(
    micro_preset, disc_dataset, first_stage, tmp_path, monkeypatch
):
    train_sdseg(micro_preset, disc_dataset, first_stage, tmp_path / "straight")
    micro_preset.training.steps = 3
    with monkeypatch.context() as slow:  # the first run's last check takes >= 1 s; the resumed clock must count it
        validate = sdseg_trainer.validation_dice
        slow.setattr(sdseg_trainer, "validation_dice", lambda *a: time.sleep(1.0) or validate(*a))
        first = train_sdseg(micro_preset, disc_dataset, first_stage, tmp_path / "resumed")
    micro_preset.training.steps = 6
    summary = train_sdseg(micro_preset, disc_dataset, first_stage, tmp_path / "resumed", resume_training=True)
    assert summary["steps"] == 6
    assert [h["step"] for h in summary["history"]] == [3, 6]
    (at3,), (_, at6) = [h["seconds"] for h in first["history"]], [h["seconds"] for h in summary["history"]]
    assert at6 >= at3 + 1.0  # the resumed run's clock starts where the first one stopped, its check included
    straight = load_file(tmp_path / "straight" / "checkpoint" / "model.safetensors")
    resumed = load_file(tmp_path / "resumed" / "checkpoint" / "model.safetensors")
    assert all(torch.allclose(straight[k], resumed[k], atol=1e-6) for k in straight)


def test_resume_without_checkpoint_is_an_error(micro_preset, disc_dataset, first_stage, tmp_path):
    with pytest.raises(CheckpointError, match="no checkpoint to resume"):
        train_sdseg(micro_preset, disc_dataset, first_stage, tmp_path / "new", resume_training=True)


def test_resume_with_a_different_model_is_an_error(micro_preset, disc_dataset, first_stage, tmp_path):
    train_sdseg(micro_preset, disc_dataset, first_stage, tmp_path / "run")
    micro_preset.unet["block_out_channels"] = [16, 48]
    micro_preset.training.steps = 8
    with pytest.raises(CheckpointError, match="does not match"):
        train_sdseg(micro_preset, disc_dataset, first_stage, tmp_path / "run", resume_training=True)


def test_missing_first_stage_is_an_error(micro_preset, disc_dataset, tmp_path):
    with pytest.raises(CheckpointError, match="train-autoencoder"):
        train_sdseg(micro_preset, disc_dataset, tmp_path / "nowhere", tmp_path / "run")


def test_batch_larger_than_training_split_is_an_error(micro_preset, disc_dataset, first_stage, tmp_path):
    micro_preset.training.batch_size = 64
    with pytest.raises(DataError, match="batch size"):
        train_sdseg(micro_preset, disc_dataset, first_stage, tmp_path / "run")


def test_pixel_weights_favour_mask_foreground():
    from sdseg.training.autoencoder import pixel_weights

    masks = torch.zeros(2, 1, 4, 4)
    masks[0, 0, 0, 0] = 1
    assert pixel_weights(1, masks, 1.0) is None
    weights = pixel_weights(1, masks, 10.0)
    assert weights.shape == (3, 1, 4, 4)
    assert weights[0].eq(1).all() and weights[1, 0, 0, 0] == 10 and weights[1].sum() == 15 + 10


def test_a_spent_time_budget_ends_training_like_the_last_step(micro_preset, disc_dataset, first_stage, tmp_path):
    micro_preset.training.steps = 1000
    micro_preset.training.max_minutes = 1e-6  # spent after the first step
    summary = train_sdseg(micro_preset, disc_dataset, first_stage, tmp_path / "run")
    assert summary["steps"] == 1 and [h["step"] for h in summary["history"]] == [1]
    for folder in ("best", "last", "checkpoint"):
        assert (tmp_path / "run" / folder).is_dir()


def prepared_linear_fit(lr=0.1):
    """A prepared one-weight model and its Optimization, on the CPU accelerator."""
    accelerator = Accelerator(cpu=True)
    module = torch.nn.Linear(1, 1, bias=False)
    optimizer = torch.optim.SGD(module.parameters(), lr=lr)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1.0)
    loader = torch.utils.data.DataLoader([0.0])
    return accelerator, Optimization(*accelerator.prepare(module, optimizer, loader, schedule))


def test_a_non_finite_update_is_skipped_and_a_finite_one_applied():
    accelerator, opt = prepared_linear_fit()
    weight = opt.module.weight
    before = weight.detach().clone()
    assert opt.step(accelerator, weight.sum() * float("nan"), max_grad_norm=1.0) is False
    assert torch.equal(weight.detach(), before) and torch.isfinite(weight).all()
    assert opt.step(accelerator, weight.sum() * float("inf")) is False
    assert (opt.skipped, opt.skipped_in_a_row) == (2, 2)
    assert opt.step(accelerator, weight.sum(), max_grad_norm=1.0) is True
    assert torch.allclose(weight.detach(), before - 0.1)
    assert (opt.skipped, opt.skipped_in_a_row) == (2, 0)


def test_updates_that_stay_non_finite_end_the_run():
    accelerator, opt = prepared_linear_fit()
    for _ in range(MAX_SKIPPED_IN_A_ROW - 1):
        opt.step(accelerator, opt.module.weight.sum() * float("nan"))
    with pytest.raises(DivergenceError, match="lr"):
        opt.step(accelerator, opt.module.weight.sum() * float("nan"))


def test_the_foreach_ema_keeps_the_same_weights_as_diffusers_per_tensor_loop(micro_model):
    """make_ema updates all tensors in a few foreach calls; the weights it keeps for inference must not change."""
    denoiser = micro_model.denoiser
    foreach, loop = make_ema(denoiser, 0.9), EMAModel(denoiser.parameters(), decay=0.9)
    start = [p.detach().clone() for p in denoiser.parameters()]
    torch.manual_seed(0)
    for _ in range(3):
        with torch.no_grad():
            for p in denoiser.parameters():
                p.add_(torch.randn_like(p))
        foreach.step(denoiser.parameters())
        loop.step(denoiser.parameters())
    assert foreach.foreach and not loop.foreach
    for kept, expected in zip(foreach.shadow_params, loop.shadow_params):
        torch.testing.assert_close(kept, expected, rtol=1e-6, atol=1e-6)  # float rounding only
    moved = [not torch.equal(kept, first) and not torch.equal(kept, now.detach())
             for kept, first, now in zip(foreach.shadow_params, start, denoiser.parameters())]
    assert all(moved)  # between where the weights started and where they are: an average, not a copy


def assert_same_trained_weights(reference: Path, run: Path) -> None:
    """Two runs' checkpoints hold the same tensor names and values, and the second's best model loads."""
    expected = load_file(reference / "checkpoint" / "model.safetensors")
    actual = load_file(run / "checkpoint" / "model.safetensors")
    assert expected.keys() == actual.keys()
    assert max((expected[k] - actual[k]).abs().max().item() for k in expected) < 1e-3
    SDSegModel.from_pretrained(run / "best")  # its weights saved and loadable


def test_loader_workers_persist_and_train_the_weights_of_the_main_process_also_when_resumed(
        micro_preset, disc_dataset, first_stage, tmp_path):
    """training.num_workers: the workers last the whole run (each keeps the cases it decoded) and serve the batches
    the main process would, also to a run resumed mid-epoch."""
    assert make_loader(list(range(8)), 4, num_workers=2).persistent_workers
    train_sdseg(micro_preset, disc_dataset, first_stage, tmp_path / "main_process")
    micro_preset.training.num_workers = 2
    micro_preset.training.steps = 3  # two batches an epoch: the resumed run skips one
    train_sdseg(micro_preset, disc_dataset, first_stage, tmp_path / "workers")
    micro_preset.training.steps = 6
    train_sdseg(micro_preset, disc_dataset, first_stage, tmp_path / "workers", resume_training=True)
    assert_same_trained_weights(tmp_path / "main_process", tmp_path / "workers")


def test_channels_last_training_changes_the_layout_not_the_weights(micro_preset, disc_dataset, first_stage, tmp_path):
    train_sdseg(micro_preset, disc_dataset, first_stage, tmp_path / "default")
    micro_preset.training.channels_last = True
    train_sdseg(micro_preset, disc_dataset, first_stage, tmp_path / "channels_last")
    assert_same_trained_weights(tmp_path / "default", tmp_path / "channels_last")


def test_vision_encoder_lr_scale_zero_freezes_only_the_vision_encoder(
        micro_preset, disc_dataset, first_stage, tmp_path):
    """training.vision_encoder_lr_scale 0: the encoder keeps the first stage's weights and gets no gradient."""
    from sdseg.models import load_autoencoder, vision_encoder_for

    micro_preset.training.vision_encoder_lr_scale = 0.0
    train_sdseg(micro_preset, disc_dataset, first_stage, tmp_path / "run")
    model = SDSegModel.from_pretrained(tmp_path / "run" / "last")
    start = vision_encoder_for(load_autoencoder(first_stage), overrides=micro_preset.vision_encoder)
    trained = model.denoiser.vision_encoder.state_dict()
    assert start.pretrained_names == set(trained)  # every tensor starts from the first stage here
    assert all(torch.equal(trained[k], v) for k, v in start.state_dict().items())
    model.denoiser.vision_encoder = start
    groups = encoder_lr_groups(model.denoiser, 0.0, 1e-3)
    assert [len(g["params"]) for g in groups] == [len(list(model.denoiser.unet.parameters()))]
    assert not any(p.requires_grad for p in start.parameters())


def test_vision_encoder_lr_scale_spares_the_tensors_that_start_from_scratch(micro_model):
    """A lender whose latent space differs: its resized output layers train at lr, the lent tensors at the scale."""
    from sdseg.models import vision_encoder_for

    lender = micro_model.vae
    encoder = vision_encoder_for(lender, latent_channels=2 * lender.config.latent_channels)
    fresh = {name for name, _ in encoder.named_parameters()} - encoder.pretrained_names
    assert fresh and all(name.startswith(("encoder.conv_out", "quant_conv")) for name in fresh)
    micro_model.denoiser.vision_encoder = encoder
    rest, lent = encoder_lr_groups(micro_model.denoiser, 1e-4, 1e-3)
    assert lent["lr"] == 1e-4 and len(lent["params"]) == len(encoder.pretrained_names)
    assert len(rest["params"]) == len(list(micro_model.denoiser.unet.parameters())) + len(fresh)
    assert encoder_lr_groups(micro_model.denoiser, 1e-3, 1e-3) is None  # one group: older checkpoints resume


def test_vision_encoder_lr_scale_is_refused_when_no_tensor_is_pretrained(micro_model):
    """A vision encoder wider than the first stage's, with free channels in c (as cpu128's), shares no tensor shape
    with it and starts from scratch: a scale would do nothing."""
    from sdseg.models import vision_encoder_for

    wide = vision_encoder_for(micro_model.vae, overrides={"block_out_channels": [16, 16, 32, 32], "extra_channels": 4})
    assert not wide.pretrained_names
    micro_model.denoiser.vision_encoder = wide
    with pytest.raises(ConfigError, match="vision_encoder_lr_scale 2: no tensor of the vision encoder"):
        encoder_lr_groups(micro_model.denoiser, 2e-3, 1e-3)
    assert encoder_lr_groups(micro_model.denoiser, 1e-3, 1e-3) is None  # the default scale still trains


def test_first_levels_are_the_layers_before_each_downsampling(micro_model):
    """Level N ends with the N-th stride-2 layer: its output has 1/2^N of the input's size."""
    from sdseg.models import TinyEncoder

    image = torch.zeros(1, 3, 32, 32)
    for encoder in (micro_model.denoiser.vision_encoder, TinyEncoder(num_blocks=(1, 2, 2, 2), pooled_blocks=0)):
        assert not list(encoder.first_levels(0).parameters())
        for levels in (1, 3):
            x = image
            for layer in encoder.first_levels(levels):
                x = layer(x)
            assert x.shape[-1] == 32 // 2 ** levels
        with pytest.raises(ConfigError, match="downsamples 3 times; use 0 to 3"):
            encoder.first_levels(4)


def test_vision_encoder_frozen_levels_keep_their_weights_while_the_rest_trains(
        micro_preset, disc_dataset, first_stage, tmp_path):
    from sdseg.models import load_autoencoder, vision_encoder_for

    micro_preset.training.vision_encoder_frozen_levels = 1
    micro_preset.training.vision_encoder_lr_scale = 0.5
    train_sdseg(micro_preset, disc_dataset, first_stage, tmp_path / "run")
    start = vision_encoder_for(load_autoencoder(first_stage), overrides=micro_preset.vision_encoder)
    denoiser = SDSegModel.from_pretrained(tmp_path / "run" / "last").denoiser
    trained = denoiser.vision_encoder
    frozen = {name for name, _ in start.named_parameters()
              if name.startswith(("encoder.conv_in", "encoder.down_blocks.0"))}
    before, after = start.state_dict(), trained.state_dict()
    assert frozen and all(torch.equal(before[k], after[k]) for k in frozen)
    assert not all(torch.equal(before[k], after[k]) for k in set(before) - frozen)
    denoiser.vision_encoder = start
    rest, lent = encoder_lr_groups(denoiser, 5e-4, 1e-3, 1)
    assert lent["lr"] == 5e-4 and len(lent["params"]) == len(list(start.parameters())) - len(frozen)
    assert len(rest["params"]) == len(list(denoiser.unet.parameters()))
    assert [p.requires_grad for p in start.first_levels(1).parameters()] == [False] * len(frozen)


def test_compiled_training_keeps_the_weights_names_and_values(micro_preset, disc_dataset, first_stage, tmp_path,
                                                              monkeypatch):
    train_sdseg(micro_preset, disc_dataset, first_stage, tmp_path / "eager")
    micro_preset.training.compile = True
    # graphs traced and differentiated as inductor gets them, run without its minutes of C++ code generation
    compile_module, compiled_modules = torch.nn.Module.compile, []
    monkeypatch.setattr(torch.nn.Module, "compile", lambda module: (
        compiled_modules.append(type(module).__name__), compile_module(module, backend="aot_eager")))
    train_sdseg(micro_preset, disc_dataset, first_stage, tmp_path / "compiled")
    assert compiled_modules == ["VisionEncoder", "UNet2DModel"]
    assert_same_trained_weights(tmp_path / "eager", tmp_path / "compiled")  # names without "_orig_mod." too


@pytest.mark.parametrize("flags, expected", [
    ("fpu sse2 avx2 fma", None),
    ("fpu avx2 avx512f avx512_bf16", "avx512_bf16"),
    ("fpu avx512_bf16 amx_bf16 amx_tile", "amx_bf16"),
])
def test_native_bf16_flag_reads_the_cpu_flags(tmp_path, flags, expected):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(f"processor\t: 0\nmodel name\t: test\nflags\t\t: {flags}\n\nprocessor\t: 1\n")
    assert native_bf16_flag(cpuinfo) == expected
    assert native_bf16_flag(tmp_path / "missing") is None


def test_bf16_is_suggested_only_for_fp32_training_on_a_cpu_with_native_bf16(monkeypatch, capsys):
    accelerator = SimpleNamespace(device=torch.device("cpu"), print=print)  # what suggest_bf16 uses of one
    monkeypatch.setattr(sdseg_trainer, "native_bf16_flag", lambda: "avx512_bf16")
    note = suggest_bf16(accelerator, "no")
    assert "avx512_bf16" in note and "--mixed-precision bf16" in note
    assert note in capsys.readouterr().out
    assert suggest_bf16(accelerator, "bf16") is None
    monkeypatch.setattr(sdseg_trainer, "native_bf16_flag", lambda: None)
    assert suggest_bf16(accelerator, "no") is None
