"""The command line end to end on a small disc dataset, and its handling of bad input."""

import json

import numpy as np
import pytest
from PIL import Image

from sdseg.cli.main import main


def run(*argv):
    return main([str(a) for a in argv])


@pytest.fixture
def trained(tmp_path, disc_dataset, micro_preset_file):
    assert run("train-autoencoder", disc_dataset, "-o", tmp_path / "ae", "--config", micro_preset_file) == 0
    assert run("train", disc_dataset, "--first-stage", tmp_path / "ae", "-o", tmp_path / "run",
               "--config", micro_preset_file, "--set", "training.steps=4") == 0
    return tmp_path / "run"


def test_train_predict_evaluate_end_to_end(trained, disc_dataset, tmp_path, capsys):
    summary = json.loads((trained / "summary.json").read_text())
    assert summary["steps"] == 4
    assert json.loads((trained / "preset.json").read_text())["training"]["steps"] == 4

    assert run("predict", disc_dataset, "--split", "test", "-m", trained, "-o", tmp_path / "pred") == 0
    masks = sorted((tmp_path / "pred").glob("*.png"))
    assert [m.stem for m in masks] == ["case13", "case14", "case15"]
    for mask in masks:
        array = np.asarray(Image.open(mask))
        assert array.shape == (40, 48) and set(np.unique(array)) <= {0, 1}  # original size, class indices
        assert np.asarray(Image.open(tmp_path / "pred" / "overlays" / mask.name)).shape == (40, 48, 3)

    assert run("evaluate", tmp_path / "pred", disc_dataset, "--split", "test") == 0
    result = json.loads((tmp_path / "pred" / "summary.json").read_text())
    assert result["num_cases"] == 3 and 0 <= result["foreground_mean"]["dice"] <= 1
    assert (tmp_path / "pred" / "metrics.csv").read_text().count("\n") == 4
    assert "mean dice" in capsys.readouterr().out


def test_resume_extends_a_finished_run_with_its_own_seed(trained, disc_dataset, tmp_path, capsys):
    assert json.loads((trained / "summary.json").read_text())["seed"] == 0
    assert run("train", disc_dataset, "--first-stage", tmp_path / "ae", "-o", trained, "--resume", "--seed", 1,
               "--set", "training.steps=6") == 2
    assert "resume it with --seed 0" in capsys.readouterr().err
    assert run("train", disc_dataset, "--first-stage", tmp_path / "ae", "-o", trained, "--resume",
               "--set", "training.steps=6") == 0
    assert json.loads((trained / "summary.json").read_text())["steps"] == 6


def test_ddim_steps_and_seed_are_honoured(trained, disc_dataset, tmp_path):
    image = disc_dataset / "images" / "case13.png"
    for name, seed in (("a", 0), ("b", 0)):
        assert run("predict", image, "-m", trained, "-o", tmp_path / name, "--steps", 3, "--seed", seed) == 0
    assert (tmp_path / "a" / "case13.png").read_bytes() == (tmp_path / "b" / "case13.png").read_bytes()


@pytest.mark.parametrize("command", ["demo", "train-autoencoder", "train", "predict", "evaluate", "stability", "convert", "report"])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: sdseg" in capsys.readouterr().out


def test_missing_model_exits_2_with_a_message(disc_dataset, tmp_path, capsys):
    assert run("predict", disc_dataset, "-m", tmp_path / "none", "-o", tmp_path / "pred") == 2
    assert "no trained model here" in capsys.readouterr().err
    assert not (tmp_path / "pred").exists()


def test_unreadable_input_image_exits_2_and_names_it(trained, tmp_path, capsys):
    bad = tmp_path / "in" / "broken.png"
    bad.parent.mkdir()
    bad.write_bytes(b"garbage")
    assert run("predict", bad, "-m", trained, "-o", tmp_path / "pred") == 2
    assert "broken.png" in capsys.readouterr().err
    assert not (tmp_path / "pred" / "broken.png").exists()


def test_empty_input_folder_exits_2(trained, tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert run("predict", tmp_path / "empty", "-m", trained, "-o", tmp_path / "pred") == 2
    assert "no images found" in capsys.readouterr().err


def test_bad_mask_values_stop_training_and_name_the_file(disc_dataset, micro_preset_file, tmp_path, capsys):
    Image.fromarray(np.full((40, 48), 7, np.uint8)).save(disc_dataset / "masks" / "case00.png")
    assert run("train-autoencoder", disc_dataset, "-o", tmp_path / "ae", "--config", micro_preset_file) == 2
    assert "case00.png" in capsys.readouterr().err
    assert not (tmp_path / "ae" / "best").exists()


def test_unknown_override_exits_2(disc_dataset, tmp_path, capsys):
    assert run("train-autoencoder", disc_dataset, "-o", tmp_path / "ae", "--set", "training.nope=1") == 2
    assert "unknown TrainingConfig key" in capsys.readouterr().err


def test_demo_runs_end_to_end_on_a_few_images(tmp_path, micro_preset_file):
    assert run("demo", "-o", tmp_path / "demo", "--num-images", 20, "--config", micro_preset_file) == 0
    metrics = json.loads((tmp_path / "demo" / "metrics.json").read_text())
    assert set(metrics["test"]) == {"1_step", "ddim_10"}
    assert 0 <= metrics["test_dice_single_step"] <= 1
    assert metrics["num_test_images"] == len(list((tmp_path / "demo" / "predictions").glob("*.png")))
    assert list((tmp_path / "demo" / "predictions" / "overlays").glob("*.png"))
    assert (tmp_path / "demo" / "predictions" / "summary.json").is_file()
    assert (tmp_path / "demo" / "report" / "index.html").is_file()
    assert (tmp_path / "demo" / "sdseg" / "progress.png").is_file()


def test_stability_end_to_end(trained, disc_dataset, tmp_path, capsys):
    out = tmp_path / "stability"
    assert run("stability", disc_dataset, "--split", "test", "-m", trained, "-o", out, "--runs", 3) == 0
    result = json.loads((out / "stability.json").read_text())
    assert result["runs"] == 3 and result["seeds"] == [0, 1, 2] and result["num_images"] == 3
    assert len(result["dataset_level"]["dice_per_run"]) == 3
    assert result["dataset_level"]["dice_std"] >= 0
    for stem in ("case13", "case14", "case15"):
        assert np.asarray(Image.open(out / f"{stem}.png")).shape == (40, 48)
        assert np.asarray(Image.open(out / "uncertainty" / f"{stem}.png")).shape == (40, 48)
    # Run 0 is exactly what `predict --seed 0` writes.
    assert run("predict", disc_dataset, "--split", "test", "-m", trained, "-o", tmp_path / "pred") == 0
    assert (out / "case13.png").read_bytes() == (tmp_path / "pred" / "case13.png").read_bytes()
    assert "dataset Dice" in capsys.readouterr().out


def test_help_lists_every_converter_without_importing_simpleitk():
    import subprocess
    import sys

    from sdseg.cli.main import CONVERT_LAYOUTS
    from sdseg.data.convert import CONVERTERS

    assert CONVERT_LAYOUTS == tuple(sorted(CONVERTERS))
    code = "import sys; from sdseg.cli.main import build_parser; build_parser(); print('SimpleITK' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_keep_freed_memory_respects_the_users_own_settings(monkeypatch):
    """sdseg raises glibc's thresholds at start, unless told not to or the user tuned malloc already."""
    import platform

    from sdseg.allocator import keep_freed_memory

    monkeypatch.delenv("SDSEG_KEEP_FREED_MEMORY", raising=False)
    for name in ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_"):
        monkeypatch.delenv(name, raising=False)
    assert keep_freed_memory() == (platform.system() == "Linux" and platform.libc_ver()[0] == "glibc")
    monkeypatch.setenv("SDSEG_KEEP_FREED_MEMORY", "0")
    assert not keep_freed_memory()
    monkeypatch.delenv("SDSEG_KEEP_FREED_MEMORY")
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "131072")
    assert not keep_freed_memory()
