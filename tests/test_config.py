import pytest
import torch
from diffusers import UNet2DModel

from sdseg.config import PRESETS, Preset, load_preset
from sdseg.errors import ConfigError


@pytest.mark.parametrize("name", PRESETS)
def test_presets_load_and_round_trip(name):
    preset = load_preset(name)
    assert preset.name == name
    assert Preset.from_dict(preset.to_dict()) == preset
    assert preset.scheduler["beta_schedule"] == "scaled_linear"
    assert (preset.scheduler["beta_start"], preset.scheduler["beta_end"]) == (0.0015, 0.0155)
    assert preset.scheduler["clip_sample"] is False
    assert len(preset.autoencoder["block_out_channels"]) == 4  # kl-f8: 8x downsampling


def test_overrides_are_parsed_as_json():
    preset = load_preset("tiny", ["training.steps=7", "training.lr=0.5", "training.mixed_precision=bf16"])
    assert preset.training.steps == 7 and preset.training.lr == 0.5 and preset.training.mixed_precision == "bf16"


@pytest.mark.parametrize("override", ["training.stepz=3", "trainig.steps=3", "nonsense"])
def test_bad_overrides_are_errors(override):
    with pytest.raises(ConfigError):
        load_preset("tiny", [override])


def test_unknown_preset_is_an_error():
    with pytest.raises(ConfigError, match="no preset named"):
        load_preset("huge")


def test_paper_preset_has_the_published_sizes():
    preset = load_preset("paper")
    assert preset.autoencoder["block_out_channels"] == [128, 256, 512, 512]
    assert preset.training.batch_size == 4 and preset.training.effective_lr == pytest.approx(4e-5)
    with torch.device("meta"):
        unet = UNet2DModel(sample_size=32, in_channels=8, out_channels=4, **preset.unet)
    count = sum(p.numel() for p in unet.parameters())
    assert 280e6 < count < 300e6  # the paper's UNet has about 295 M


def test_cosine_schedule_warms_up_then_decays_to_zero() -> None:
    import torch

    from sdseg.config import TrainingConfig
    from sdseg.training.loop import make_lr_schedule

    cfg = TrainingConfig(steps=10, lr=1.0, warmup_steps=2, lr_schedule="cosine")
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=cfg.lr)
    schedule = make_lr_schedule(optimizer, cfg)
    rates = []
    for _ in range(cfg.steps):
        rates.append(schedule.get_last_lr()[0])
        optimizer.step()
        schedule.step()
    assert rates[:3] == pytest.approx([0.0, 0.5, 1.0])
    assert rates[3:] == sorted(rates[3:], reverse=True) and schedule.get_last_lr()[0] == pytest.approx(0.0)


def test_warmup_stable_decay_holds_the_peak_then_anneals_to_zero() -> None:
    import torch

    from sdseg.config import TrainingConfig
    from sdseg.errors import ConfigError
    from sdseg.training.loop import make_lr_schedule

    cfg = TrainingConfig(steps=10, lr=1.0, warmup_steps=2, lr_schedule="warmup_stable_decay", lr_decay_steps=4)
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=cfg.lr)
    schedule = make_lr_schedule(optimizer, cfg)
    rates = []
    for _ in range(cfg.steps + 1):
        rates.append(schedule.get_last_lr()[0])
        optimizer.step()
        schedule.step()
    assert rates == pytest.approx([0.0, 0.5, 1.0, 1.0, 1.0, 1.0, 1.0, 0.75, 0.5, 0.25, 0.0])
    with pytest.raises(ConfigError, match="lr_decay_steps"):
        make_lr_schedule(optimizer, TrainingConfig(steps=10, warmup_steps=2, lr_schedule="warmup_stable_decay"))


def test_adam_betas_reach_the_optimizer_and_bad_ones_are_refused() -> None:
    import torch

    from sdseg.config import load_preset
    from sdseg.errors import ConfigError
    from sdseg.training.loop import make_optimizer

    preset = load_preset("tiny", ["training.adam_betas=[0.9, 0.99]"])
    assert preset.checked().training.adam_betas == [0.9, 0.99]
    optimizer = make_optimizer([torch.zeros(1, requires_grad=True)], 1e-3, 0.0, tuple(preset.training.adam_betas))
    assert optimizer.param_groups[0]["betas"] == (0.9, 0.99)
    for betas in ([0.9], [0.9, 1.0], [-0.1, 0.99]):
        with pytest.raises(ConfigError, match="adam_betas"):
            load_preset("tiny", [f"training.adam_betas={betas}"])


def test_unknown_schedule_is_a_config_error() -> None:
    import torch

    from sdseg.config import TrainingConfig
    from sdseg.errors import ConfigError
    from sdseg.training.loop import make_lr_schedule

    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    with pytest.raises(ConfigError, match="warm_restarts_forever"):
        make_lr_schedule(optimizer, TrainingConfig(lr_schedule="warm_restarts_forever"))


def test_class_draw_is_checked_and_defaults_to_the_classes_a_slice_shows() -> None:
    from sdseg.config import TrainingConfig
    from sdseg.errors import ConfigError

    assert TrainingConfig().class_draw == "present" and TrainingConfig(class_draw="any").class_draw == "any"
    with pytest.raises(ConfigError, match="training.class_draw 'all'"):
        TrainingConfig(class_draw="all")
