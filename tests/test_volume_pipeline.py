"""Multi-class, multi-channel volumes end to end through the command line, on a tiny nnU-Net dataset."""

from __future__ import annotations

import json

import numpy as np
import pytest
import SimpleITK as sitk
import torch

from sdseg.cli.main import main
from sdseg.config import AugmentationConfig
from sdseg.data.augmentation import as_rgb, pick_classes, training_batch
from sdseg.data.label_scheme import LabelScheme
from sdseg.data.nnunet_dataset import load_nnunet_dataset
from sdseg.data.slice_dataset import VolumeSlices
from sdseg.models import SDSegModel
from sdseg.training.loop import class_masks


def run(*argv):
    return main([str(a) for a in argv])


def test_slices_oversample_foreground_and_keep_empty_ones(nnunet_dataset):
    dataset = load_nnunet_dataset(nnunet_dataset)
    plain = VolumeSlices(dataset.training, [0, 1, 2], ["zscore", "zscore"], 16)
    assert len(plain) == 4 * 6
    item = plain[0]
    assert item["image"].shape == (2, 16, 16) and item["label"].shape == (1, 16, 16)
    assert item["label"].dtype == torch.long and -1 <= item["image"].min() and item["image"].max() <= 1
    oversampled = VolumeSlices(dataset.training, [0, 1, 2], ["zscore", "zscore"], 16, foreground_fraction=0.9)
    has_label = [bool(oversampled.volumes[v].label[z].any()) for v, z in oversampled.index]
    assert 0.8 <= np.mean(has_label) < 1  # mostly foreground, empty slices kept


def test_pick_classes_draws_a_present_class_and_gives_its_mask():
    label = torch.zeros(3, 1, 4, 4, dtype=torch.long)
    label[0, 0, :2] = 2  # only class 2 present
    label[1, 0, 0, 0] = 1  # only class 1
    torch.manual_seed(0)
    batch = pick_classes({"image": torch.zeros(3, 2, 4, 4), "label": label}, LabelScheme.plain(2))
    assert batch["class_labels"][:2].tolist() == [1, 0]
    assert torch.equal(batch["mask"][0], (label[0] == 2).float())
    assert batch["mask"][2].sum() == 0  # empty slice: any class, empty mask
    assert pick_classes({"image": torch.zeros(1, 3, 4, 4), "label": label[:1]}, LabelScheme.plain(1))["class_labels"] is None


def test_pick_classes_any_also_asks_for_absent_classes_with_empty_masks():
    label = torch.zeros(64, 1, 4, 4, dtype=torch.long)
    label[:, 0, :2] = 2  # every slice shows class 2 only
    torch.manual_seed(0)
    present = pick_classes({"image": torch.zeros(64, 2, 4, 4), "label": label}, LabelScheme.plain(2))
    assert present["class_labels"].eq(1).all()
    batch = pick_classes({"image": torch.zeros(64, 2, 4, 4), "label": label}, LabelScheme.plain(2), draw="any")
    asked_absent = batch["class_labels"] == 0
    assert 0 < asked_absent.sum() < 64
    assert batch["mask"][asked_absent].sum() == 0
    assert torch.equal(batch["mask"][~asked_absent], (label[~asked_absent] == 2).float())
    with pytest.raises(ValueError, match="class draw"):
        pick_classes({"image": torch.zeros(1, 2, 4, 4), "label": label[:1]}, LabelScheme.plain(2), draw="all")


def test_class_masks_are_each_class_a_slice_shows_and_one_empty_mask_for_an_empty_slice():
    label = torch.zeros(3, 1, 4, 4, dtype=torch.long)
    label[0, 0, :2], label[0, 0, 2:] = 1, 2  # both classes
    label[1, 0, 0, 0] = 2  # class 2 only
    masks = class_masks({"label": label}, LabelScheme.plain(2))
    expected = [label[0] == 1, label[0] == 2, label[1] == 2, torch.zeros(1, 4, 4, dtype=torch.bool)]
    assert masks.shape == (4, 1, 4, 4) and torch.equal(masks, torch.stack(expected).float())
    binary = torch.ones(2, 1, 4, 4)
    assert class_masks({"mask": binary}, LabelScheme.plain(1)) is binary


def test_augmented_label_batches_keep_mask_and_label_in_agreement():
    torch.manual_seed(0)
    label = torch.zeros(6, 1, 32, 32, dtype=torch.uint8)
    label[:, :, 8:20, 6:18] = 1
    label[:, :, 14:26, 16:28] = 2
    cfg = AugmentationConfig(rotate_degrees=30, scale=0.2, shift=0.1)
    batch = training_batch({"image": torch.randn(6, 2, 32, 32), "label": label}, LabelScheme.plain(2), cfg)
    assert not torch.equal(batch["label"], label)  # warped
    chosen = batch["class_labels"].view(-1, 1, 1, 1) + 1
    assert torch.equal(batch["mask"], (batch["label"] == chosen).float())


def test_as_rgb_replicates_one_channel():
    image = torch.stack([torch.zeros(4, 4), torch.ones(4, 4)])[None].repeat(5, 1, 1, 1)
    rgb = as_rgb(image)
    assert rgb.shape == (5, 3, 4, 4)
    assert all(torch.equal(x[0], x[1]) and torch.equal(x[1], x[2]) for x in rgb)


@pytest.fixture
def volume_model(tmp_path, nnunet_dataset, micro_preset_file):
    assert run("train-autoencoder", nnunet_dataset, "-o", tmp_path / "ae", "--config", micro_preset_file) == 0
    assert run("train", nnunet_dataset, "--first-stage", tmp_path / "ae", "-o", tmp_path / "run",
               "--config", micro_preset_file) == 0
    return tmp_path / "run"


def test_train_predict_evaluate_volumes(volume_model, nnunet_dataset, tmp_path):
    model = SDSegModel.from_pretrained(volume_model / "best")
    assert model.config.num_classes == 2 and model.config.normalization == ["zscore", "zscore"]
    assert model.denoiser.vision_encoder.config.in_channels == 2

    assert run("predict", nnunet_dataset, "-m", volume_model, "-o", tmp_path / "pred") == 0
    written = sorted(p.name for p in (tmp_path / "pred").glob("*.nii.gz"))
    assert written == ["case04.nii.gz", "case05.nii.gz"]
    for name in written:
        prediction = sitk.ReadImage(str(tmp_path / "pred" / name))
        source = sitk.ReadImage(str(nnunet_dataset / "imagesTs" / name.replace(".nii.gz", "_0000.nii.gz")))
        assert prediction.GetSize() == source.GetSize()
        assert prediction.GetSpacing() == pytest.approx(source.GetSpacing())
        assert prediction.GetOrigin() == pytest.approx(source.GetOrigin())
        assert prediction.GetDirection() == pytest.approx(source.GetDirection())
        assert prediction.GetPixelID() == sitk.sitkUInt8
        assert set(np.unique(sitk.GetArrayFromImage(prediction))) <= {0, 1, 2}

    assert run("evaluate", tmp_path / "pred", nnunet_dataset, "--split", "test") == 0
    summary = json.loads((tmp_path / "pred" / "summary.json").read_text())
    assert summary["num_cases"] == 2 and summary["labels"] == [1, 2] and summary["distance_unit"] == "mm"
    assert set(summary["mean"]) == {"1", "2", "foreground"}
    assert set(summary["metric_per_case"][0]["metrics"]) == {"1", "2", "foreground"}


def test_a_volume_model_trains_asking_any_class_and_records_it(volume_model, nnunet_dataset, micro_preset_file,
                                                              tmp_path):
    assert run("train", nnunet_dataset, "--first-stage", volume_model.parent / "ae", "-o", tmp_path / "any",
               "--config", micro_preset_file, "--set", "training.class_draw=any") == 0
    assert json.loads((tmp_path / "any" / "preset.json").read_text())["training"]["class_draw"] == "any"
    assert SDSegModel.from_pretrained(tmp_path / "any" / "last").config.num_classes == 2


def test_predict_volume_files_directly_with_mirroring(volume_model, nnunet_dataset, tmp_path):
    files = sorted((nnunet_dataset / "imagesTs").glob("case04_*.nii.gz"))
    assert run("predict", *files, "-m", volume_model, "-o", tmp_path / "pred", "--steps", 2, "--mirror") == 0
    assert sorted(p.name for p in (tmp_path / "pred").iterdir()) == ["case04.nii.gz", "predict.json"]
    assert json.loads((tmp_path / "pred" / "predict.json").read_text())["mirror"] is True


def test_missing_channel_for_a_volume_model_is_an_error(volume_model, nnunet_dataset, tmp_path, capsys):
    only_first = nnunet_dataset / "imagesTs" / "case04_0000.nii.gz"
    assert run("predict", only_first, "-m", volume_model, "-o", tmp_path / "pred") == 2
    assert "case04" in capsys.readouterr().err and not (tmp_path / "pred").exists()
