"""Datasets in the nnU-Net v2 raw layout, the convention 3D users already have.

    DatasetXXX_Name/dataset.json        channel_names, labels, file_ending (regions: regions_class_order)
    DatasetXXX_Name/imagesTr/CASE_0000.nii.gz   one file per channel (_0000, _0001, ...)
    DatasetXXX_Name/labelsTr/CASE.nii.gz        integer labels 0..K
    DatasetXXX_Name/imagesTs/, labelsTs/        optional test cases
    DatasetXXX_Name/splits_final.json           optional: nnU-Net's cross-validation folds (``--fold``)

Labels are consecutive integers from 0, each its own class, or regions as in nnU-Net's region-based training:
``"labels": {"background": 0, "whole_tumour": [1, 2, 3], "core": [2, 3], "enhancing": 3}`` with
``"regions_class_order": [1, 2, 3]``, the label each region is painted with in a prediction (``label_scheme.py``).

Everything is checked when the dataset is opened -- the labels, every
channel of every case present, a label map for every training case -- so that a
mistake is reported with the file at fault before any training starts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from ..errors import DataError
from .label_scheme import LabelScheme
from .splits import SPLITS_FILE, Partition, load_splits
from .volume import strip_suffix

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
    labels: dict[str, int | list[int]]  # name -> label value, or for regions the values the region covers
    file_ending: str
    training: list[VolumeCase] = field(default_factory=list)
    test: list[VolumeCase] = field(default_factory=list)
    regions_class_order: list[int] | None = None

    @cached_property
    def label_scheme(self) -> LabelScheme:
        """Read once: every batch and every prediction asks for it."""
        foreground = [value for name, value in self.labels.items() if value != 0]
        if self.regions_class_order is None:
            return LabelScheme.plain(len(foreground))
        regions = tuple(tuple(value) if isinstance(value, list) else (value,) for value in foreground)
        return LabelScheme(regions, tuple(self.regions_class_order))

    @property
    def num_classes(self) -> int:
        """Foreground classes (labels 1..K, or regions)."""
        return self.label_scheme.num_classes

    @property
    def label_values(self) -> list[int]:
        """Every value a label map may hold, 0 included."""
        return [0, *self.label_scheme.values]

    @property
    def class_names(self) -> dict[str, str]:
        """Foreground names by their key in ``sdseg evaluate``'s summary.json ("1", or a region's "(1, 2, 3)")."""
        return dict(zip(self.label_scheme.summary_keys(), self._foreground_names))

    @property
    def value_names(self) -> dict[int, str]:
        """What each foreground label value in a label map means (the report's colour legend)."""
        return self.label_scheme.value_names(self._foreground_names)

    @property
    def _foreground_names(self) -> list[str]:
        return [name for name, value in self.labels.items() if value != 0]

    def split(self, split: str, partition: Partition = Partition()) -> list[VolumeCase]:
        """``train``/``val`` from the training cases (``splits.json`` or a seeded 1-in-5 validation
        split, at least one case; with ``partition.fold``, that fold of them, see ``splits.py``);
        ``test`` are the ``imagesTs`` cases."""
        if split == "test":
            return list(self.test)
        names = [c.name for c in self.training]
        if (self.root / SPLITS_FILE).is_file():
            chosen = load_splits(self.root, names, partition)[split]
        else:
            order = np.random.default_rng(partition.seed).permutation(len(names))
            n_val = max(1, len(names) // 5) if len(names) > 1 else 0
            val = {names[i] for i in order[:n_val]}
            base = {"train": [n for n in names if n not in val], "val": sorted(val), "test": []}
            chosen = partition.divide(self.root, base)[split]
        if not chosen:
            raise DataError(f"{self.root}: split {split!r} is empty; add training cases or a {SPLITS_FILE}")
        return [self.case(name) for name in chosen]

    def case(self, name: str) -> VolumeCase:
        for case in (*self.training, *self.test):
            if case.name == name:
                return case
        raise DataError(f"{self.root}: no case named {name!r}")


CHANNEL_SUFFIX = re.compile(r"^(?P<case>.+)_(?P<channel>\d{4})$")


def group_channel_files(paths: list[Path], channels: int) -> list[VolumeCase]:
    """Volume files -> cases: ``CASE_0000``, ``CASE_0001``... are one case's channels; a file
    without the suffix is a single-channel case."""
    grouped: dict[str, dict[int, Path]] = {}
    for path in paths:
        name = strip_suffix(path)
        match = CHANNEL_SUFFIX.match(name)
        case, channel = (match["case"], int(match["channel"])) if match else (name, 0)
        grouped.setdefault(case, {})[channel] = path
    cases = []
    for case, files in sorted(grouped.items()):
        if sorted(files) != list(range(channels)):
            raise DataError(f"case {case!r} has channel file(s) {sorted(files)} but the model takes {channels} "
                            f"channel(s) (_0000 to _{channels - 1:04d}); e.g. {next(iter(files.values()))}")
        cases.append(VolumeCase(case, [files[c] for c in range(channels)]))
    return cases


def missing_nnunet_parts(path: str | Path) -> list[str]:
    """What ``path`` lacks of an nnU-Net dataset (``dataset.json``, ``imagesTr/``); empty when it is one."""
    path = Path(path)
    present = {DATASET_JSON: (path / DATASET_JSON).is_file(), "imagesTr/": (path / "imagesTr").is_dir()}
    return [part for part, there in present.items() if not there]


def is_nnunet_dataset(path: str | Path) -> bool:
    return not missing_nnunet_parts(path)


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


def _is_label(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_regions(path: Path, labels: dict, order) -> None:
    """Region labels: every entry but the background a label value or a list of them, and one painting label per
    region in ``regions_class_order``."""
    if labels.get("background") != 0:
        raise DataError(f'{path}: region labels need "background": 0')
    regions = {name: value for name, value in labels.items() if name != "background"}
    for name, value in regions.items():
        values = value if isinstance(value, list) else [value]
        if not values or not all(_is_label(v) and v > 0 for v in values):
            raise DataError(f"{path}: label {name!r} is {value!r}; a region is a label value > 0 or a list of them")
    if not isinstance(order, list) or len(order) != len(regions) or not all(_is_label(v) and v > 0 for v in order):
        raise DataError(f"{path}: \"regions_class_order\" must list one label value > 0 per region "
                        f"({len(regions)}: {', '.join(regions)}), the label each is painted with in a prediction")
    for (name, value), paint in zip(regions.items(), order):
        if paint not in (value if isinstance(value, list) else [value]):
            raise DataError(f"{path}: region {name!r} ({value!r}) would be painted with {paint}, a label outside it; "
                            "each regions_class_order entry must be one of its region's labels")


def _check_labels(path: Path, labels: dict, order=None) -> dict[str, int | list[int]]:
    if any(isinstance(v, list) for v in labels.values()) or order is not None:
        _check_regions(path, labels, order)
        return dict(labels)
    if not all(_is_label(v) for v in labels.values()):
        raise DataError(f"{path}: \"labels\" must map names to integer label values, or to lists of them for "
                        "regions (with \"regions_class_order\")")
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
        root=root, channel_names=channels,
        labels=_check_labels(root / DATASET_JSON, meta["labels"], meta.get("regions_class_order")),
        file_ending=ending, regions_class_order=meta.get("regions_class_order"),
        training=_cases(root / "imagesTr", ending, len(channels), root / "labelsTr", required=True),
        test=_cases(root / "imagesTs", ending, len(channels), root / "labelsTs", required=False),
    )
    if not dataset.training:
        raise DataError(f"{root / 'imagesTr'}: no training cases ending in {ending}")
    return dataset
