"""Ensembles of trained models (``predict -m A -m B ...``), as nnU-Net ensembles its folds: soft masks averaged."""

import json

import pytest
import torch

from sdseg.cli.main import main
from sdseg.data.label_scheme import LabelScheme
from sdseg.errors import CheckpointError
from sdseg.inference.engine import InferenceSettings
from sdseg.inference.ensemble import ModelEnsemble
from sdseg.models import SDSegModel, build_autoencoder
from sdseg.report.cases import provenance


def run(*argv):
    return main([str(a) for a in argv])


def model(preset, seed: int) -> SDSegModel:
    torch.manual_seed(seed)
    return SDSegModel.from_preset(preset, build_autoencoder(preset.autoencoder, preset.image_size)).eval()


def test_an_ensemble_averages_its_members_soft_masks_from_the_same_noise(micro_preset, tmp_path):
    members = [model(micro_preset, 0), model(micro_preset, 1)]
    ensemble = ModelEnsemble(members, [tmp_path / "a", tmp_path / "b"])
    image, seeds = torch.rand(2, 3, 32, 32) * 2 - 1, [5, 6]
    with torch.no_grad():
        alone = [m.predict_proba(image, seeds) for m in members]
        together = ensemble.predict_proba(image, seeds)
    assert not torch.allclose(alone[0], alone[1])
    assert torch.allclose(together, (alone[0] + alone[1]) / 2)
    assert ensemble.config is members[0].config
    assert InferenceSettings.of_model(ensemble).device == "cpu"


def test_members_that_take_or_give_other_things_are_refused(micro_preset, tmp_path):
    three_classes = SDSegModel.from_preset(micro_preset, build_autoencoder(micro_preset.autoencoder, 32), labels=LabelScheme.plain(3))
    with pytest.raises(CheckpointError, match="b: cannot be ensembled with .*a \\(num_classes 3 against 1\\)"):
        ModelEnsemble([model(micro_preset, 0), three_classes], [tmp_path / "a", tmp_path / "b"])


def test_predict_with_several_models_records_them_all(disc_dataset, micro_preset_file, tmp_path):
    assert run("train-autoencoder", disc_dataset, "-o", tmp_path / "ae", "--config", micro_preset_file) == 0
    for seed in (0, 1):
        assert run("train", disc_dataset, "--first-stage", tmp_path / "ae", "-o", tmp_path / f"run{seed}",
                   "--config", micro_preset_file, "--set", "training.steps=2", "--seed", seed) == 0
    models = [tmp_path / "run0", tmp_path / "run1"]
    both = ["-m", models[0], "-m", models[1]]
    out = tmp_path / "ensemble"
    assert run("predict", *both, disc_dataset, "--split", "test", "-o", out) == 0  # options first, as users may
    assert sorted(p.stem for p in out.glob("*.png")) == ["case13", "case14", "case15"]
    record = json.loads((out / "predict.json").read_text())
    assert record["model"] == [str((m / "best").resolve()) for m in models] and len(record["model_saved"]) == 2
    assert run("predict", disc_dataset, "--split", "test", *both, "-o", out, "--continue") == 0
    assert run("predict", disc_dataset, "--split", "test", "-m", models[0], "-o", out) == 2  # another model: refused
    assert provenance(out, {}, None)["model"] == ", ".join(record["model"])
    assert run("stability", disc_dataset, "--split", "test", *both, "-o", tmp_path / "stability",
               "--runs", 2) == 0
    assert json.loads((tmp_path / "stability" / "stability.json").read_text())["runs"] == 2
