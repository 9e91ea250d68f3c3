"""Training curves: progress.png in the run folder, a compact record that a resumed run continues, trackers."""

import math

import numpy as np
import pytest
import torch
from accelerate.tracking import GeneralTracker
from PIL import Image

from sdseg.errors import ConfigError
from sdseg.training.autoencoder import train_autoencoder
from sdseg.training.progress import MAX_POINTS, check_trackers, record


def saved_curves(run):
    """The curves in the run's checkpoint (the train state is accelerate's first custom object)."""
    return torch.load(run / "checkpoint" / "custom_checkpoint_0.pkl", weights_only=False)["extra"]["curves"]


def test_progress_png_is_drawn_and_a_resumed_run_continues_its_curves(micro_preset, disc_dataset, tmp_path):
    run = tmp_path / "ae"
    micro_preset.autoencoder_training.steps = 3
    train_autoencoder(micro_preset, disc_dataset, run)
    first = (run / "progress.png").read_bytes()
    assert Image.open(run / "progress.png").size[0] > 600
    assert saved_curves(run)["points"]["step"] == [1, 2, 3]

    micro_preset.autoencoder_training.steps = 6
    summary = train_autoencoder(micro_preset, disc_dataset, run, resume_training=True)
    points = saved_curves(run)["points"]
    assert points["step"] == [1, 2, 3, 4, 5, 6]
    assert set(points) == {"step", "l1", "lr", "grad_norm"} and all(v > 0 for v in points["lr"])
    assert all(0 < v < math.inf for v in points["grad_norm"])  # each update's norm, as sdseg train draws it
    assert [h["step"] for h in summary["history"]] == [3, 6]
    assert (run / "progress.png").read_bytes() != first


def test_the_record_stays_bounded_by_merging_neighbours():
    curves: dict = {}
    for step in range(1, 3 * MAX_POINTS + 1):
        record(curves, step, {"loss": float(step)})
    points = curves["points"]
    assert len(points["step"]) < MAX_POINTS and curves["stride"] == 4
    assert points["step"][:2] == [4, 8] and points["loss"][0] == pytest.approx(2.5)  # mean of steps 1..4
    assert np.diff(points["step"]).tolist() == [4] * (len(points["step"]) - 1)


def test_a_loss_term_that_appears_later_reads_as_nan_before():
    curves: dict = {}
    record(curves, 1, {"a": 1.0})
    record(curves, 2, {"a": 1.0, "b": 2.0})
    assert math.isnan(curves["points"]["b"][0]) and curves["points"]["b"][1] == 2.0


class Recorder(GeneralTracker):
    name = "recorder"
    requires_logging_directory = False

    def __init__(self):
        super().__init__()
        self.logged, self.finished = [], False

    @property
    def tracker(self):
        return self

    def log(self, values, step=None, **kwargs):
        self.logged.append((step, dict(values)))

    def finish(self):
        self.finished = True


def test_trackers_receive_the_same_scalars(micro_preset, disc_dataset, tmp_path, monkeypatch):
    recorder = Recorder()  # accelerate takes a tracker instance where the preset names packages
    monkeypatch.setattr("sdseg.training.loop.check_trackers", lambda names: [recorder])
    micro_preset.autoencoder_training.log_with = ["recorder"]
    train_autoencoder(micro_preset, disc_dataset, tmp_path / "ae")
    steps = [step for step, values in recorder.logged if "l1" in values]
    assert steps == [1, 2, 3, 4, 5, 6] and recorder.finished
    assert [step for step, values in recorder.logged if "val_dice" in values] == [3, 6]
    assert all("lr" in values for _, values in recorder.logged if "l1" in values)


def test_a_tracker_without_its_package_is_refused_by_name(monkeypatch):
    monkeypatch.setattr("accelerate.tracking._available_trackers", [])
    with pytest.raises(ConfigError, match="the wandb package is not installed"):
        check_trackers(["wandb"])
    with pytest.raises(ConfigError, match="unknown tracker"):
        check_trackers(["nonsense"])


def test_cli_names_the_missing_tracker_package_before_training(disc_dataset, tmp_path, monkeypatch, capsys):
    from sdseg.cli.main import main

    monkeypatch.setattr("accelerate.tracking._available_trackers", [])
    assert main(["train-autoencoder", str(disc_dataset), "-o", str(tmp_path / "ae"), "--log-with", "tensorboard"]) == 2
    assert "the tensorboard package is not installed" in capsys.readouterr().err
    assert not (tmp_path / "ae" / "checkpoint").exists()
