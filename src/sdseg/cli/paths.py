"""Resolve what a user points at: a run folder, a model folder, a dataset, or image files."""

from __future__ import annotations

from pathlib import Path

from ..data.folder_dataset import discover_cases
from ..data.image_io import IMAGE_SUFFIXES, list_images
from ..data.nnunet_dataset import NnUNetDataset, VolumeCase, group_channel_files, is_nnunet_dataset, load_nnunet_dataset
from ..data.splits import Partition, load_splits
from ..data.volume import VOLUME_SUFFIXES, volume_suffix
from ..errors import CheckpointError, DataError


def model_folder(path: str | Path, marker: str) -> Path:
    """``path`` itself if it holds ``marker``, else its ``best/`` (a training run folder)."""
    path = Path(path)
    for candidate in (path, path / "best"):
        if (candidate / marker).is_file():
            return candidate
    raise CheckpointError(
        f"{path}: no trained model here (looked for {marker} in it and in best/); "
        "pass the output folder of the training command"
    )


def first_stage_source(path: str | Path) -> Path:
    """A train-autoencoder run folder's ``best/``, else ``path`` as given (any layout ``load_autoencoder`` reads)."""
    path = Path(path)
    if (path / "best" / "config.json").is_file() and not (path / "config.json").is_file():
        return path / "best"
    if not path.exists():
        raise CheckpointError(f"{path}: no such first stage; pass a train-autoencoder run folder, a diffusers "
                              "autoencoder folder, the taef2 folder, or an LDM checkpoint file")
    return path


def input_images(inputs: list[str], split: str | None, partition: Partition = Partition()) -> list[Path]:
    """Image files from files, folders of images, or a dataset folder (``images/``, optionally one split)."""
    paths: list[Path] = []
    for item in map(Path, inputs):
        if item.is_file():
            if item.suffix.lower() not in IMAGE_SUFFIXES:
                raise DataError(f"{item}: not an image file ({', '.join(IMAGE_SUFFIXES)})")
            paths.append(item)
        elif (item / "images").is_dir():
            cases = discover_cases(item, require_masks=split is not None)
            names = load_splits(item, list(cases), partition)[split] if split else list(cases)
            paths += [cases[name].image for name in names]
        elif item.is_dir():
            paths += list_images(item)
        else:
            raise DataError(f"{item}: no such file or folder")
    if not paths:
        raise DataError(f"no images found in {', '.join(inputs)}")
    return paths


def input_volumes(inputs: list[str], split: str | None, channels: int,
                  partition: Partition = Partition()) -> tuple[list[VolumeCase], str]:
    """Cases to segment, and the file ending to write: an nnU-Net dataset's split (default: its
    test cases), folders of ``CASE_XXXX`` volume files, or such files themselves."""
    if len(inputs) == 1 and is_nnunet_dataset(inputs[0]):
        dataset = load_nnunet_dataset(inputs[0])
        return dataset.split(split or "test", partition), dataset.file_ending
    files: list[Path] = []
    for item in map(Path, inputs):
        if item.is_dir():
            found = sorted(p for p in item.iterdir() if p.is_file() and volume_suffix(p))
            if not found:
                raise DataError(f"{item}: no volume files ({', '.join(VOLUME_SUFFIXES)})")
            files += found
        elif item.is_file() and volume_suffix(item):
            files.append(item)
        else:
            raise DataError(f"{item}: not a volume file or folder ({', '.join(VOLUME_SUFFIXES)})")
    return group_channel_files(files, channels), volume_suffix(files[0])


def report_images(inputs: list[str], split: str | None,
                  partition: Partition = Partition()) -> tuple[dict[str, Path], NnUNetDataset | None]:
    """Images by case name for ``sdseg report``, and the nnU-Net dataset they come from, whose dataset.json names
    the classes: its split (default: test; a volume's first channel); else as ``input_images``, with no dataset."""
    if len(inputs) == 1 and is_nnunet_dataset(inputs[0]):
        dataset = load_nnunet_dataset(inputs[0])
        return {case.name: case.images[0] for case in dataset.split(split or "test", partition)}, dataset
    return {path.stem: path for path in input_images(inputs, split, partition)}, None


def dataset_labels(path: str | Path) -> tuple[int | tuple[int, ...], ...] | None:
    """What evaluation scores, from an nnU-Net dataset.json: its foreground labels, or its regions as tuples of
    label values; None for other folders (found from the data instead). A dataset's ``labelsTr/`` or ``labelsTs/``
    folder, as pooled cross-validation scores against, reads its dataset.json too."""
    path = Path(path)
    if not is_nnunet_dataset(path):
        if path.name not in ("labelsTr", "labelsTs") or not is_nnunet_dataset(path.parent):
            return None
        path = path.parent
    return load_nnunet_dataset(path).label_scheme.scored


def reference_masks(path: str | Path, split: str | None,
                    partition: Partition = Partition()) -> tuple[Path, list[str] | None]:
    """Ground truth as (mask folder, cases): a plain mask folder, a dataset folder's ``masks/``,
    or an nnU-Net dataset's ``labelsTs/`` (test split or none) or ``labelsTr/``."""
    path = Path(path)
    if is_nnunet_dataset(path):
        dataset = load_nnunet_dataset(path)
        if split in (None, "test"):
            return path / "labelsTs", [case.name for case in dataset.test] if split else None
        return path / "labelsTr", [case.name for case in dataset.split(split, partition)]
    if not (path / "masks").is_dir():
        if split:
            raise DataError(f"{path}: --split needs a dataset folder with images/ and masks/")
        return path, None
    if not split:
        return path / "masks", None
    cases = discover_cases(path)
    return path / "masks", load_splits(path, list(cases), partition)[split]
