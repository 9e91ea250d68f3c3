"""Volume readers and writers keep geometry; nnU-Net datasets are checked when opened."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import SimpleITK as sitk

from sdseg.data.nnunet_dataset import is_nnunet_dataset, load_nnunet_dataset
from sdseg.data.volume import read_label_volume, read_volume, strip_suffix, volume_suffix, write_volume
from sdseg.errors import DataError


def test_suffixes() -> None:
    assert volume_suffix("a_0000.nii.gz") == ".nii.gz" and strip_suffix("a_0000.nii.gz") == "a_0000"
    assert volume_suffix("A.MHA") == ".mha" and volume_suffix("a.png") is None


@pytest.mark.parametrize("suffix", [".nii.gz", ".nrrd", ".mha"])
def test_written_volume_has_the_input_geometry(nnunet_dataset: Path, tmp_path: Path, suffix: str) -> None:
    source = nnunet_dataset / "imagesTr" / "case00_0000.nii.gz"
    volume = read_volume(source)
    out = tmp_path / "out" / f"pred{suffix}"
    write_volume(out, (volume.array > 0).astype(np.uint8), volume.geometry)
    written, original = sitk.ReadImage(str(out)), sitk.ReadImage(str(source))
    assert written.GetSize() == original.GetSize()
    assert np.allclose(written.GetSpacing(), original.GetSpacing())
    assert np.allclose(written.GetOrigin(), original.GetOrigin())
    assert np.allclose(written.GetDirection(), original.GetDirection())
    assert written.GetPixelID() == sitk.sitkUInt8
    assert read_volume(out).geometry.matches(volume.geometry)
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary left behind


def test_nifti_header_affine_is_preserved(nnunet_dataset: Path, tmp_path: Path) -> None:
    """The qform/sform written must equal the input's, as a viewer reads them."""
    source = nnunet_dataset / "imagesTr" / "case00_0000.nii.gz"
    volume = read_volume(source)
    out = tmp_path / "pred.nii.gz"
    write_volume(out, np.zeros_like(volume.array, dtype=np.uint8), volume.geometry)
    reader = sitk.ImageFileReader()
    headers = []
    for path in (source, out):
        reader.SetFileName(str(path))
        reader.ReadImageInformation()
        headers.append({k: reader.GetMetaData(k) for k in reader.GetMetaDataKeys()
                        if k.startswith(("srow_", "qoffset_", "quatern_", "pixdim", "dim["))})
    assert headers[0].keys() == headers[1].keys() and headers[0]
    for key in headers[0]:
        if key.startswith("pixdim[0]") or key in ("pixdim[4]", "pixdim[5]", "pixdim[6]", "pixdim[7]"):
            continue
        assert headers[0][key] == headers[1][key], key


def test_write_refuses_a_grid_mismatch(nnunet_dataset: Path, tmp_path: Path) -> None:
    volume = read_volume(nnunet_dataset / "labelsTr" / "case00.nii.gz")
    with pytest.raises(ValueError, match="does not match"):
        write_volume(tmp_path / "x.nii.gz", volume.array[:-1], volume.geometry)


def test_unreadable_volume_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.nii.gz"
    bad.write_bytes(b"not a nifti")
    with pytest.raises(DataError, match=re.escape(str(bad))):
        read_volume(bad)
    with pytest.raises(DataError, match="not found"):
        read_volume(tmp_path / "absent.nii.gz")


def test_label_values_outside_the_dataset_are_an_error(nnunet_dataset: Path) -> None:
    path = nnunet_dataset / "labelsTr" / "case00.nii.gz"
    assert set(np.unique(read_label_volume(path, [0, 1, 2]).array)) == {0, 1, 2}
    with pytest.raises(DataError, match=r"label value\(s\) \[2\]"):
        read_label_volume(path, [0, 1])


def test_nnunet_dataset_is_read(nnunet_dataset: Path) -> None:
    assert is_nnunet_dataset(nnunet_dataset)
    dataset = load_nnunet_dataset(nnunet_dataset)
    assert dataset.channel_names == ["FLAIR", "T1c"] and dataset.num_classes == 2
    assert [c.name for c in dataset.training] == ["case00", "case01", "case02", "case03"]
    assert [c.name for c in dataset.test] == ["case04", "case05"]
    case = dataset.case("case01")
    assert [p.name for p in case.images] == ["case01_0000.nii.gz", "case01_0001.nii.gz"]
    assert case.label.name == "case01.nii.gz"


def test_missing_channel_is_an_error(nnunet_dataset: Path) -> None:
    (nnunet_dataset / "imagesTr" / "case02_0001.nii.gz").unlink()
    with pytest.raises(DataError, match="case02_0001.nii.gz"):
        load_nnunet_dataset(nnunet_dataset)


def test_missing_training_label_is_an_error(nnunet_dataset: Path) -> None:
    (nnunet_dataset / "labelsTr" / "case03.nii.gz").unlink()
    with pytest.raises(DataError, match="case03.nii.gz"):
        load_nnunet_dataset(nnunet_dataset)


@pytest.mark.parametrize("labels", [{"background": 0, "a": 2}, {"background": 1, "a": 2}, {"background": 0}])
def test_non_consecutive_labels_are_an_error(nnunet_dataset: Path, labels: dict) -> None:
    meta = json.loads((nnunet_dataset / "dataset.json").read_text())
    (nnunet_dataset / "dataset.json").write_text(json.dumps({**meta, "labels": labels}))
    with pytest.raises(DataError, match="consecutive"):
        load_nnunet_dataset(nnunet_dataset)


def test_missing_dataset_json_is_an_error(nnunet_dataset: Path) -> None:
    (nnunet_dataset / "dataset.json").unlink()
    with pytest.raises(DataError, match="dataset.json"):
        load_nnunet_dataset(nnunet_dataset)


def test_normalisation_schemes() -> None:
    from sdseg.data.normalization import normalize, scheme_for
    from sdseg.errors import ConfigError

    hu = np.array([-1000.0, -175.0, 37.5, 250.0, 3000.0])
    assert normalize(hu, "ct_abdomen").tolist() == pytest.approx([-1, -1, 0, 1, 1])
    mri = np.array([0.0, 0.0, 10.0, 20.0, 30.0])  # zeros are outside the head
    z = normalize(mri, "zscore")
    assert z[2:].mean() == pytest.approx(0.0, abs=1e-6) and np.abs(z).max() <= 1
    assert normalize(np.array([0.0, 255.0]), "uint8").tolist() == [-1, 1]
    assert [scheme_for(n) for n in ("CT", "cbct", "FLAIR", "R")] == ["ct_abdomen", "ct_teeth", "zscore", "uint8"]
    with pytest.raises(ConfigError, match="unknown normalisation"):
        normalize(hu, "ct_brain_please")


def test_2d_work_never_imports_simpleitk():
    """SimpleITK loads on the first volume read, so 2D training and prediction do not need it."""
    import subprocess
    import sys

    code = ("import sys, sdseg.cli.main, sdseg.training.sdseg_trainer, sdseg.training.autoencoder, "
            "sdseg.inference.predictor, sdseg.evaluation.evaluate, sdseg.evaluation.stability, sdseg.report.build; "
            "print('SimpleITK' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
