"""Classes and nnU-Net regions: the masks a label map gives, the label map per-class masks give back, and a
region-based dataset trained, predicted and scored end to end."""

from __future__ import annotations

import json

import numpy as np
import pytest
import SimpleITK as sitk
import torch

from sdseg.cli.main import main
from sdseg.data.augmentation import pick_classes
from sdseg.data.label_scheme import LabelScheme
from sdseg.data.nnunet_dataset import load_nnunet_dataset
from sdseg.errors import CheckpointError, DataError
from sdseg.models import SDSegModel, build_autoencoder

NESTED = LabelScheme(((1, 2, 3), (2, 3), (3,)), paint=(1, 2, 3))  # BraTS-like: whole, core, enhancing


def run(*argv):
    return main([str(a) for a in argv])


def with_regions(root, labels: dict, order) -> None:
    meta = json.loads((root / "dataset.json").read_text())
    meta["labels"] = labels
    if order is not None:
        meta["regions_class_order"] = order
    (root / "dataset.json").write_text(json.dumps(meta))


def test_region_planes_cover_every_label_value_of_the_region():
    label = torch.tensor([0, 1, 2, 3])[None, None, None]  # (B=1, 1, H=1, W=4)
    planes = NESTED.planes(label)
    assert planes.shape == (1, 3, 1, 1, 4)
    assert planes[0, :, 0, 0].int().tolist() == [[0, 1, 1, 1], [0, 0, 1, 1], [0, 0, 0, 1]]
    assert LabelScheme.plain(3).planes(label)[0, :, 0, 0].int().tolist() == [[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]


def test_regions_are_thresholded_each_and_painted_in_order_the_later_on_top():
    # pixels: nothing; whole only; whole + core; all three; enhancing above 0.5 though whole is not
    p = torch.tensor([[0.1, 0.9, 0.9, 0.9, 0.2], [0.1, 0.2, 0.7, 0.8, 0.1], [0.1, 0.1, 0.3, 0.6, 0.9]])
    assert NESTED.to_labels(p[:, None]).tolist() == [[0, 1, 2, 3, 3]]
    # plain classes on the same scores take the most probable: core never wins where whole is more probable
    assert LabelScheme.plain(3).to_labels(p[:, None]).tolist() == [[0, 1, 1, 1, 3]]


def test_a_regions_config_rebuilds_the_same_scheme():
    saved = NESTED.config()
    assert saved == {"regions": [[1, 2, 3], [2, 3], [3]], "regions_class_order": [1, 2, 3]}
    assert LabelScheme.from_config(3, saved["regions"], saved["regions_class_order"]) == NESTED
    assert LabelScheme.from_config(2, None, None) == LabelScheme.plain(2)


def test_pick_classes_gives_region_masks():
    label = torch.zeros(2, 1, 4, 4, dtype=torch.long)
    label[:, 0, :2] = 1
    label[:, 0, 0, 0] = 2
    batch = pick_classes({"label": label}, LabelScheme(((1, 2), (2,)), (1, 2)))
    for mask, chosen, item in zip(batch["mask"], batch["class_labels"], label):
        assert torch.equal(mask, torch.isin(item, torch.tensor([[1, 2], [2]][chosen])).float())


def test_an_nnunet_dataset_with_regions_opens_as_regions(nnunet_dataset):
    with_regions(nnunet_dataset, {"background": 0, "whole": [1, 2], "centre": 2}, [1, 2])
    dataset = load_nnunet_dataset(nnunet_dataset)
    assert dataset.label_scheme == LabelScheme(((1, 2), (2,)), (1, 2))
    assert dataset.num_classes == 2 and dataset.label_values == [0, 1, 2]
    assert dataset.class_names == {"(1, 2)": "whole", "(2,)": "centre"}


@pytest.mark.parametrize("labels, order, message", [
    ({"background": 0, "whole": [1, 2], "centre": 2}, None, "regions_class_order"),
    ({"background": 0, "whole": [1, 2], "centre": 2}, [1], "one label value > 0 per region"),
    ({"background": 0, "whole": [1, 2], "centre": 2}, [1, 1], "painted with 1, a label outside it"),
    ({"background": 0, "whole": [0, 1], "centre": 2}, [1, 2], "'whole' is \\[0, 1\\]"),
    ({"background": 0, "whole": [], "centre": 2}, [1, 2], "'whole' is \\[\\]"),
    ({"background": 1, "whole": [1, 2]}, [1], '"background": 0'),
    ({"background": 0, "whole": "1,2"}, None, "integer label values"),
])
def test_bad_region_labels_are_refused_naming_dataset_json(nnunet_dataset, labels, order, message):
    with_regions(nnunet_dataset, labels, order)
    with pytest.raises(DataError, match=message) as error:
        load_nnunet_dataset(nnunet_dataset)
    assert "dataset.json" in str(error.value)


def test_a_region_dataset_trains_predicts_painted_labels_and_is_scored_per_region(nnunet_dataset, micro_preset_file,
                                                                                   tmp_path):
    with_regions(nnunet_dataset, {"background": 0, "whole": [1, 2], "centre": 2}, [1, 2])
    assert run("train-autoencoder", nnunet_dataset, "-o", tmp_path / "ae", "--config", micro_preset_file) == 0
    assert run("train", nnunet_dataset, "--first-stage", tmp_path / "ae", "-o", tmp_path / "run",
               "--config", micro_preset_file) == 0
    model = SDSegModel.from_pretrained(tmp_path / "run" / "last")
    assert model.label_scheme == LabelScheme(((1, 2), (2,)), (1, 2))
    assert (model.config.regions, model.config.regions_class_order) == ([[1, 2], [2]], [1, 2])

    assert run("predict", nnunet_dataset, "-m", tmp_path / "run", "-o", tmp_path / "pred") == 0
    for path in sorted((tmp_path / "pred").glob("*.nii.gz")):
        assert set(np.unique(sitk.GetArrayFromImage(sitk.ReadImage(str(path))))) <= {0, 1, 2}

    assert run("evaluate", tmp_path / "pred", nnunet_dataset, "--split", "test") == 0
    summary = json.loads((tmp_path / "pred" / "summary.json").read_text())
    assert summary["labels"] == [[1, 2], [2]]
    assert set(summary["mean"]) == {"(1, 2)", "(2,)", "foreground"}
    # the whole region is every labelled voxel: scored as a region it is the foreground itself
    assert summary["mean"]["(1, 2)"]["dice"] == pytest.approx(summary["mean"]["foreground"]["dice"])
    assert run("report", tmp_path / "pred", "--images", nnunet_dataset, "-o", tmp_path / "report") == 0
    legend = (tmp_path / "report" / "index.html").read_text().split('class="legend"')[1].split("</p>")[0]
    assert "whole" in legend and "centre" in legend  # the painted values' colours, named by their regions
    # pooled over folders against the dataset's labelsTs/ (as cross-validation scores labelsTr/): still regions
    assert run("evaluate", tmp_path / "pred", nnunet_dataset / "labelsTs", "-o", tmp_path / "pooled") == 0
    assert json.loads((tmp_path / "pooled" / "summary.json").read_text())["labels"] == [[1, 2], [2]]


def test_label_values_are_named_by_the_class_or_the_region_painted_with_them():
    assert LabelScheme.plain(2).value_names(["disc", "cup"]) == {1: "disc", 2: "cup"}
    brats = LabelScheme(((1, 2, 3, 4), (1, 3, 4), (4,)), (2, 1, 4))
    assert brats.value_names(["whole", "core", "enhancing"]) == {1: "core", 2: "whole", 3: "label 3", 4: "enhancing"}


def test_a_model_with_regions_that_do_not_match_its_classes_is_refused(micro_preset, tmp_path):
    model = SDSegModel.from_preset(micro_preset, build_autoencoder(micro_preset.autoencoder, 32),
                                   labels=LabelScheme(((1, 2), (2,)), (1, 2)))
    model.config.regions_class_order = [1]
    model.save_pretrained(tmp_path / "m")
    with pytest.raises(CheckpointError, match="one region and one painting label per class"):
        SDSegModel.from_pretrained(tmp_path / "m")
