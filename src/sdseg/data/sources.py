"""One entry point for training data, whatever the layout: a 2D image/mask folder or an nnU-Net volume set.

Training code asks for a split and gets a Dataset plus the facts the model must be built
with (classes, input channels, normalisation); it never branches on the layout itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from torch.utils.data import Dataset

from .folder_dataset import SegmentationFolder
from .label_scheme import LabelScheme
from .nnunet_dataset import is_nnunet_dataset, load_nnunet_dataset
from .normalization import scheme_for
from .slice_dataset import VolumeSlices
from .splits import Partition

FOREGROUND_FRACTION = 0.67  # least share of training draws showing a label by default, as nnU-Net oversamples


@dataclass
class DataInfo:
    labels: LabelScheme  # the foreground classes (or regions) and how label maps give their masks
    in_channels: int
    normalization: list[str] | None  # per channel, volumes only

    @property
    def num_classes(self) -> int:
        return self.labels.num_classes

    @property
    def is_volume(self) -> bool:
        return self.normalization is not None


def open_split(
    root: str | Path, split: str, image_size: int, partition: Partition = Partition(), training: bool = False,
    normalization: list[str] | None = None, foreground_fraction: float | None = None,
) -> tuple[Dataset, DataInfo]:
    """The ``split`` of the dataset at ``root``. ``training`` oversamples (``oversampling.py``) to
    ``foreground_fraction`` of draws with foreground; left at None, volumes show foreground in at least
    ``FOREGROUND_FRACTION`` of them and 2D folders keep their own share."""
    if is_nnunet_dataset(root):
        dataset = load_nnunet_dataset(root)
        schemes = normalization or [scheme_for(name) for name in dataset.channel_names]
        fraction = (FOREGROUND_FRACTION if foreground_fraction is None else foreground_fraction) if training else None
        slices = VolumeSlices(dataset.split(split, partition), dataset.label_values, schemes, image_size, fraction,
                              at_least=foreground_fraction is None)
        return slices, DataInfo(dataset.label_scheme, len(dataset.channel_names), schemes)
    return (SegmentationFolder(root, split, image_size, partition, foreground_fraction if training else None),
            DataInfo(LabelScheme.plain(1), 3, None))


def open_train_val(
    root: str | Path, image_size: int, partition: Partition = Partition(), normalization: list[str] | None = None,
    foreground_fraction: float | None = None,
) -> tuple[Dataset, Dataset, DataInfo]:
    """The training split (oversampled, see ``open_split``) and the validation split, normalised alike
    (volumes: by ``normalization``, a trained model's, else by the schemes their channel names call for)."""
    train_set, info = open_split(root, "train", image_size, partition, training=True, normalization=normalization,
                                 foreground_fraction=foreground_fraction)
    val_set, _ = open_split(root, "val", image_size, partition, normalization=info.normalization)
    return train_set, val_set, info
