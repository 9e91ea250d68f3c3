"""Each converter on small synthetic files written in the download's own layout."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import SimpleITK as sitk
from PIL import Image

from sdseg.cli.main import main
from sdseg.data.folder_dataset import SegmentationFolder
from sdseg.data.nnunet_dataset import load_nnunet_dataset
from sdseg.data.volume import read_volume
from sdseg.errors import DataError
from sdseg.data.convert import convert


def blob(h: int = 24, w: int = 32) -> np.ndarray:
    mask = np.zeros((h, w), np.uint8)
    mask[6:16, 8:20] = 1
    return mask


def photo(mask: np.ndarray) -> np.ndarray:
    rng = np.random.default_rng(0)
    return (rng.integers(0, 120, (*mask.shape, 3)) + 100 * mask[..., None]).astype(np.uint8)


def test_kvasir_seg_jpeg_masks_become_binary_png(tmp_path: Path) -> None:
    src = tmp_path / "Kvasir-SEG"
    for folder in ("images", "masks"):
        (src / folder).mkdir(parents=True)
    for name in ("cju0", "cju1", "cju2"):
        Image.fromarray(photo(blob())).save(src / "images" / f"{name}.jpg")
        Image.fromarray(blob() * 255).convert("RGB").save(src / "masks" / f"{name}.jpg", quality=70)
    assert main(["convert", "kvasir-seg", str(src), str(tmp_path / "kvasir")]) == 0
    dataset = SegmentationFolder(tmp_path / "kvasir", "train", 16)
    assert len(dataset.cases) == 1  # 3 cases: seeded 1/1/1 split
    mask = np.asarray(Image.open(tmp_path / "kvasir" / "masks" / "cju0.png"))
    assert set(np.unique(mask)) == {0, 255} and (mask > 0).sum() == blob().sum()


def test_cvc_clinicdb_tif_folders(tmp_path: Path) -> None:
    src = tmp_path / "CVC-ClinicDB"
    for folder in ("Original", "Ground Truth"):
        (src / folder).mkdir(parents=True)
    for i in (1, 2):
        Image.fromarray(photo(blob())).save(src / "Original" / f"{i}.tif")
        Image.fromarray(blob() * 255).save(src / "Ground Truth" / f"{i}.tif")
    assert convert("cvc-clinicdb", src, tmp_path / "cvc") == 2
    assert sorted(p.name for p in (tmp_path / "cvc" / "images").iterdir()) == ["1.png", "2.png"]


def test_missing_partner_is_an_error_and_writes_nothing(tmp_path: Path) -> None:
    src = tmp_path / "Kvasir-SEG"
    for folder in ("images", "masks"):
        (src / folder).mkdir(parents=True)
    Image.fromarray(photo(blob())).save(src / "images" / "a.jpg")
    Image.fromarray(photo(blob())).save(src / "images" / "b.jpg")
    Image.fromarray(blob() * 255).save(src / "masks" / "a.jpg")
    with pytest.raises(DataError, match="without a partner"):
        convert("kvasir-seg", src, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_refuge2_grey_levels_become_disc_and_cup(tmp_path: Path) -> None:
    src = tmp_path / "REFUGE2"
    for folder in ("Images", "Disc_Cup_Masks"):
        (src / folder).mkdir(parents=True)
    grey = np.full((24, 32), 255, np.uint8)
    grey[4:20, 6:26] = 128
    grey[8:16, 12:20] = 0
    Image.fromarray(photo(blob())).save(src / "Images" / "g0001.jpg")
    Image.fromarray(grey).save(src / "Disc_Cup_Masks" / "g0001.bmp")
    assert convert("refuge2", src, tmp_path / "refuge") == 1
    dataset = load_nnunet_dataset(tmp_path / "refuge")
    assert dataset.channel_names == ["R", "G", "B"] and dataset.labels == {"background": 0, "disc": 1, "cup": 2}
    label = read_volume(dataset.training[0].label, dtype=np.int64).array[0]
    assert (label == 2).sum() == 64 and (label == 1).sum() == 16 * 20 - 64 and label[0, 0] == 0


def test_refuge2_unknown_grey_level_is_an_error(tmp_path: Path) -> None:
    src = tmp_path / "REFUGE2"
    for folder in ("Images", "Disc_Cup_Masks"):
        (src / folder).mkdir(parents=True)
    Image.fromarray(photo(blob())).save(src / "Images" / "g1.jpg")
    Image.fromarray(np.full((24, 32), 77, np.uint8)).save(src / "Disc_Cup_Masks" / "g1.bmp")
    with pytest.raises(DataError, match="77"):
        convert("refuge2", src, tmp_path / "refuge")


def write_nifti(path: Path, array: np.ndarray, spacing=(0.7, 0.7, 2.5)) -> None:
    image = sitk.GetImageFromArray(array)
    image.SetSpacing(spacing)
    image.SetOrigin((1.0, 2.0, 3.0))
    path.parent.mkdir(parents=True, exist_ok=True)
    sitk.WriteImage(image, str(path))


def test_btcv_split_and_labels(tmp_path: Path) -> None:
    src = tmp_path / "RawData" / "Training"
    for case in ("0001", "0005", "0006"):
        write_nifti(src / "img" / f"img{case}.nii.gz", np.zeros((3, 8, 8), np.int16) - 1000)
        write_nifti(src / "label" / f"label{case}.nii.gz", np.full((3, 8, 8), 6, np.uint8))
    assert main(["convert", "btcv", str(src), str(tmp_path / "Dataset002_BTCV")]) == 0
    dataset = load_nnunet_dataset(tmp_path / "Dataset002_BTCV")
    assert [c.name for c in dataset.training] == ["btcv_0005", "btcv_0006"]
    assert [c.name for c in dataset.test] == ["btcv_0001"]  # a TransUNet test volume
    assert dataset.num_classes == 13 and dataset.labels["liver"] == 6 and dataset.channel_names == ["CT"]
    copied = read_volume(dataset.training[0].images[0])
    assert copied.geometry.spacing == pytest.approx((0.7, 0.7, 2.5))


def test_sts3d_labels_become_binary(tmp_path: Path) -> None:
    src = tmp_path / "STS3D"
    label = np.zeros((3, 8, 8), np.uint8)
    label[1, 2:5, 2:5] = 7  # tooth instance ids
    write_nifti(src / "labelled" / "image" / "case1.nii.gz", np.zeros((3, 8, 8), np.float32))
    write_nifti(src / "labelled" / "label" / "case1.nii.gz", label)
    assert convert("sts3d", src, tmp_path / "sts") == 1
    dataset = load_nnunet_dataset(tmp_path / "sts")
    converted = read_volume(dataset.training[0].label, dtype=np.int64)
    assert set(np.unique(converted.array)) == {0, 1} and converted.geometry.spacing == pytest.approx((0.7, 0.7, 2.5))
    assert json.loads((tmp_path / "sts" / "dataset.json").read_text())["channel_names"] == {"0": "CBCT"}


def test_existing_output_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(DataError, match="already exists"):
        convert("kvasir-seg", tmp_path, tmp_path / "out")
