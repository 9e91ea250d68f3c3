"""Large prediction jobs: every input checked before the first batch, a stopped job resumed with
--continue, files that break mid-run skipped with --skip-unreadable."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import SimpleITK as sitk
import torch
from PIL import Image

import sdseg
from sdseg.cli.main import main
from sdseg.data.label_scheme import LabelScheme
from sdseg.errors import DataError
from sdseg.inference import predictor
from sdseg.models import SDSegModel, build_autoencoder
from tests.conftest import write_disc_dataset, write_nnunet_dataset


def run(*argv):
    return main([str(a) for a in argv])


def save_model(micro_preset, folder, seed=0, **volume):
    """A random micro model written as a model folder: prediction needs no training to be tested."""
    torch.manual_seed(seed)
    SDSegModel.from_preset(micro_preset, build_autoencoder(micro_preset.autoencoder, 32), **volume).save_pretrained(folder)
    return folder


VOLUME_MODEL = {"labels": LabelScheme.plain(2), "in_channels": 2, "normalization": ["zscore", "zscore"]}


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


def kill_part_way(argv, output, pattern, total):
    """Run ``sdseg ARGV`` in a child process and SIGKILL it once some, not all, outputs exist."""
    source = str(Path(sdseg.__file__).parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [source, os.environ.get("PYTHONPATH")]))}
    child = subprocess.Popen([sys.executable, "-m", "sdseg.cli.main", *map(str, argv)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(list(output.glob(pattern))) < 2:
        assert child.poll() is None, "predict finished before it could be stopped; make it slower"
        assert time.monotonic() < deadline, "predict wrote nothing in 2 minutes"
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait()
    done = len(list(output.glob(pattern)))
    assert 2 <= done < total, f"{done} of {total} outputs when stopped"
    return done


@pytest.mark.parametrize("kind", ["images", "volumes"])
def test_a_killed_job_continues_to_the_outputs_of_an_uninterrupted_one(kind, request, tmp_path, capsys):
    inputs, model = request.getfixturevalue(kind), request.getfixturevalue(f"{kind[:-1]}_model")
    pattern, total = ("*.png", 12) if kind == "images" else ("*.nii.gz", 5)
    options = ["-m", model, "--batch-size", 1, "--steps", 20 if kind == "images" else 8]  # slow enough to stop
    done = kill_part_way(["predict", inputs, *options, "-o", tmp_path / "stopped"], tmp_path / "stopped", pattern,
                         total)
    assert json.loads((tmp_path / "stopped" / "predict.json").read_text())["status"] == "running"

    assert run("predict", inputs, *options, "-o", tmp_path / "stopped", "--continue") == 0
    assert f"already done                 {done}\n" in capsys.readouterr().out  # the bar counted the rest only
    assert run("predict", inputs, *options, "-o", tmp_path / "whole") == 0
    continued, whole = sorted((tmp_path / "stopped").glob(pattern)), sorted((tmp_path / "whole").glob(pattern))
    assert [p.name for p in continued] == [p.name for p in whole] and len(whole) == total
    for a, b in zip(continued, whole):
        assert np.array_equal(read_output(a), read_output(b)), a.name
    record = json.loads((tmp_path / "stopped" / "predict.json").read_text())
    assert record["status"] == "finished" and record["failed"] == [] and record["steps"] == options[-1]


def read_output(path):
    if path.suffix == ".png":
        return np.asarray(Image.open(path))
    return sitk.GetArrayFromImage(sitk.ReadImage(str(path)))


@pytest.mark.parametrize("kind", ["images", "volumes"])
def test_a_folder_of_another_models_or_settings_predictions_is_refused(kind, request, micro_preset, tmp_path, capsys):
    inputs, model = request.getfixturevalue(kind), request.getfixturevalue(f"{kind[:-1]}_model")
    other = save_model(micro_preset, tmp_path / "other", seed=1, **(VOLUME_MODEL if kind == "volumes" else {}))
    assert run("predict", inputs, "-m", model, "-o", tmp_path / "pred") == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "pred").iterdir() if p.is_file()}
    capsys.readouterr()
    for argv in (["-m", other, "--continue"], ["-m", other], ["-m", model, "--continue", "--steps", 2]):
        assert run("predict", inputs, *argv, "-o", tmp_path / "pred") == 2
        err = capsys.readouterr().err
        assert "predict.json: the predictions there were made with" in err and "predict into another folder" in err
    assert "model=" in err or "steps=1, " in err
    assert {p.name: p.read_bytes() for p in (tmp_path / "pred").iterdir() if p.is_file()} == before


def test_another_list_of_inputs_is_refused_on_continue(images, image_model, tmp_path, capsys):
    assert run("predict", images / "case00.png", images / "case01.png", "-m", image_model, "-o", tmp_path / "pred") == 0
    assert run("predict", images, "-m", image_model, "-o", tmp_path / "pred", "--continue") == 2
    assert "from another list of inputs (2 then, 12 now" in capsys.readouterr().err


def test_a_job_recorded_before_mirroring_existed_continues_unless_mirrored(images, image_model, tmp_path, capsys):
    assert run("predict", images / "case00.png", "-m", image_model, "-o", tmp_path / "pred") == 0
    record_path = tmp_path / "pred" / "predict.json"
    record = json.loads(record_path.read_text())
    del record["mirror"]
    record_path.write_text(json.dumps(record))
    assert run("predict", images / "case00.png", "-m", image_model, "-o", tmp_path / "pred", "--continue") == 0
    assert run("predict", images / "case00.png", "-m", image_model, "-o", tmp_path / "pred", "--continue",
               "--mirror") == 2
    assert "mirror=False, not mirror=True" in capsys.readouterr().err.replace("\n", " ")


def test_masks_without_a_record_are_not_mixed_with(images, image_model, tmp_path, capsys):
    (tmp_path / "pred").mkdir()
    shutil.copy(images / "case03.png", tmp_path / "pred" / "case03.png")
    assert run("predict", images, "-m", image_model, "-o", tmp_path / "pred", "--continue") == 2
    assert "already holds case03.png (1 output(s) in all) but no predict.json" in capsys.readouterr().err


def test_skip_unreadable_records_a_file_that_breaks_mid_run_and_fails_the_exit_status(
        images, image_model, tmp_path, monkeypatch, capsys):
    broken = images / "case05.png"
    real_read = predictor.read_image

    def read_image(path):
        if path == broken:  # passed the check, then broke
            raise DataError(f"{path}: cannot be read as an image (truncated); re-export it as PNG or JPEG")
        return real_read(path)

    monkeypatch.setattr(predictor, "read_image", read_image)
    assert run("predict", images, "-m", image_model, "-o", tmp_path / "stop", "--batch-size", 4) == 2
    assert "case05.png: cannot be read" in capsys.readouterr().err
    assert run("predict", images, "-m", image_model, "-o", tmp_path / "pred", "--batch-size", 4,
               "--skip-unreadable") == 1
    assert "1 input(s) failed and were skipped" in capsys.readouterr().err
    record = json.loads((tmp_path / "pred" / "predict.json").read_text())
    assert record["failed"] == [{"input": str(broken.resolve()), "reason": f"{broken}: cannot be read as an image "
                                 "(truncated); re-export it as PNG or JPEG"}]
    assert len(list((tmp_path / "pred").glob("*.png"))) == 11 and not (tmp_path / "pred" / "case05.png").exists()
