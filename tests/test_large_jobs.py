"""Large prediction jobs: every input checked before the first batch, a stopped job resumed with
--continue, files that break mid-run skipped with --skip-unreadable."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import SimpleITK as sitk
import torch

from sdseg.cli.main import main
from sdseg.models import SDSegModel, build_autoencoder
from tests.conftest import write_disc_dataset, write_nnunet_dataset


def run(*argv):
    return main([str(a) for a in argv])


def save_model(micro_preset, folder, seed=0, **volume):
    """A random micro model written as a model folder: prediction needs no training to be tested."""
    torch.manual_seed(seed)
    SDSegModel.from_preset(micro_preset, build_autoencoder(micro_preset.autoencoder, 32), **volume).save_pretrained(folder)
    return folder


VOLUME_MODEL = {"num_classes": 2, "in_channels": 2, "normalization": ["zscore", "zscore"]}


@pytest.fixture
def images(tmp_path):
    return write_disc_dataset(tmp_path / "discs", n=12) / "images"


@pytest.fixture
def image_model(tmp_path, micro_preset):
    return save_model(micro_preset, tmp_path / "model")


@pytest.fixture
def volumes(tmp_path):
    return write_nnunet_dataset(tmp_path / "Dataset009_Tiny", n_train=0, n_test=5) / "imagesTs"


@pytest.fixture
def volume_model(tmp_path, micro_preset):
    return save_model(micro_preset, tmp_path / "volume_model", **VOLUME_MODEL)


def test_every_bad_image_is_listed_before_any_mask_is_written(images, image_model, tmp_path, capsys):
    last = sorted(images.iterdir())[-1]
    last.write_bytes(last.read_bytes()[:-200])  # cut short: the header still reads
    (images / "case00.png").write_bytes(b"not an image")
    shutil.copy(images / "case01.png", images / "case01.jpg")  # decodes, but collides with case01.png's mask
    assert run("predict", images, "-m", image_model, "-o", tmp_path / "pred", "--batch-size", 1) == 2
    err = capsys.readouterr().err
    assert "3 problem(s) among the 13 input images" in err
    assert f"{last}: the file ends without its end-of-image marker" in err
    assert "case00.png: cannot be read as an image" in err and "share the name 'case01'" in err
    assert not (tmp_path / "pred").exists()


def test_stability_checks_its_inputs_first(images, image_model, tmp_path, capsys):
    (images / "case11.png").write_bytes(b"not an image")
    assert run("stability", images, "-m", image_model, "-o", tmp_path / "stab", "--runs", 2) == 2
    assert "case11.png: cannot be read" in capsys.readouterr().err
    assert not (tmp_path / "stab").exists()


def test_every_bad_volume_case_is_listed_before_any_is_written(volumes, volume_model, tmp_path, capsys):
    (volumes / "case01_0001.nii.gz").write_bytes(b"not a volume")
    moved = sitk.ReadImage(str(volumes / "case04_0001.nii.gz"))
    moved.SetSpacing((1.0, 1.0, 1.0))  # no longer on case04_0000's grid
    sitk.WriteImage(moved, str(volumes / "case04_0001.nii.gz"))
    assert run("predict", volumes, "-m", volume_model, "-o", tmp_path / "pred") == 2
    err = capsys.readouterr().err
    assert "2 problem(s) among the 5 input cases" in err
    assert "case01_0001.nii.gz: cannot be read as a volume" in err
    assert "case04_0001.nii.gz: grid differs from case04_0000.nii.gz" in err
    assert not (tmp_path / "pred").exists()
