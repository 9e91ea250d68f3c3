"""Datasets in the nnU-Net v2 raw layout, the convention 3D users already have.

    DatasetXXX_Name/dataset.json        channel_names, labels, file_ending
    DatasetXXX_Name/imagesTr/CASE_0000.nii.gz   one file per channel (_0000, _0001, ...)
    DatasetXXX_Name/labelsTr/CASE.nii.gz        integer labels 0..K
    DatasetXXX_Name/imagesTs/, labelsTs/        optional test cases

Everything is checked when the dataset is opened -- consecutive labels from 0, every
channel of every case present, a label map for every training case -- so that a
mistake is reported with the file at fault before any training starts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError

DATASET_JSON = "dataset.json"


@dataclass
class VolumeCase:
    """One case: its channel files in channel order and, when known, its label map."""

    name: str
    images: list[Path]
    label: Path | None = None


@dataclass
class NnUNetDataset:
    root: Path
    channel_names: list[str]
    labels: dict[str, int]
    file_ending: str
    training: list[VolumeCase] = field(default_factory=list)
    test: list[VolumeCase] = field(default_factory=list)

    @property
    def num_classes(self) -> int:
        """Foreground classes (labels 1..K)."""
        return len(self.labels) - 1

    @property
    def label_values(self) -> list[int]:
        return sorted(self.labels.values())

    def case(self, name: str) -> VolumeCase:
        for case in (*self.training, *self.test):
            if case.name == name:
                return case
        raise DataError(f"{self.root}: no case named {name!r}")


def is_nnunet_dataset(path: str | Path) -> bool:
    return (Path(path) / DATASET_JSON).is_file() and (Path(path) / "imagesTr").is_dir()


def _read_json(root: Path) -> dict:
    path = root / DATASET_JSON
    try:
        meta = json.loads(path.read_text())
    except FileNotFoundError:
        raise DataError(f"{root}: no {DATASET_JSON}; an nnU-Net dataset needs one (channel_names, labels, "
                        "file_ending)") from None
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: not valid JSON ({exc})") from None
    missing = [key for key in ("channel_names", "labels", "file_ending") if key not in meta]
    if missing:
        raise DataError(f"{path}: missing {', '.join(missing)}")
    return meta


def _check_labels(path: Path, labels: dict) -> dict[str, int]:
    if not all(isinstance(v, int) for v in labels.values()):
        raise DataError(f"{path}: \"labels\" must map names to single integers (region labels are not supported)")
    values = sorted(labels.values())
    if values != list(range(len(values))) or len(values) < 2:
        raise DataError(
            f"{path}: labels {values} must be consecutive integers 0..K with 0 the background; "
            "renumber the label maps and dataset.json"
        )
    return dict(labels)


def _cases(folder: Path, ending: str, channels: int, label_folder: Path | None, required: bool) -> list[VolumeCase]:
    if not folder.is_dir():
        return []
    files = sorted(p for p in folder.iterdir() if p.name.endswith(ending))
    names = sorted({p.name[: -len(ending)].rsplit("_", 1)[0] for p in files})
    cases = []
    for name in names:
        images = [folder / f"{name}_{c:04d}{ending}" for c in range(channels)]
        absent = [p.name for p in images if not p.is_file()]
        if absent:
            raise DataError(f"{folder}: case {name!r} lacks channel file(s) {', '.join(absent)}; "
                            f"dataset.json declares {channels} channel(s)")
        label = label_folder / f"{name}{ending}" if label_folder is not None else None
        if label is not None and not label.is_file():
            if required:
                raise DataError(f"{label}: missing label map for training case {name!r}")
            label = None
        cases.append(VolumeCase(name, images, label))
    return cases


def load_nnunet_dataset(root: str | Path) -> NnUNetDataset:
    """Open and check an nnU-Net v2 raw dataset folder."""
    root = Path(root)
    meta = _read_json(root)
    channels = [meta["channel_names"][k] for k in sorted(meta["channel_names"], key=int)]
    ending = meta["file_ending"]
    dataset = NnUNetDataset(
        root=root, channel_names=channels, labels=_check_labels(root / DATASET_JSON, meta["labels"]),
        file_ending=ending,
        training=_cases(root / "imagesTr", ending, len(channels), root / "labelsTr", required=True),
        test=_cases(root / "imagesTs", ending, len(channels), root / "labelsTs", required=False),
    )
    if not dataset.training:
        raise DataError(f"{root / 'imagesTr'}: no training cases ending in {ending}")
    return dataset
