"""Axial slices of 3D volumes, for SDSeg's slice-wise training and validation.

Volumes are read once, normalised per channel, and kept in memory; a slice is resized
to the model's square input on the fly (bilinear for images, nearest for labels).
For training, slices are repeated so that about ``foreground_fraction`` of the draws show
foreground (``oversampling.py``); empty slices stay in, so the model also learns to predict nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import Dataset

from ..errors import DataError
from .nnunet_dataset import VolumeCase
from .normalization import normalize
from .oversampling import oversampled
from .volume import Geometry, read_label_volume, read_volume, volume_header


@dataclass
class LoadedCase:
    name: str
    image: np.ndarray  # (C, Z, Y, X) normalised
    label: np.ndarray | None  # (Z, Y, X) uint8
    geometry: Geometry


def _check_channel_count(case: VolumeCase, channels: int) -> None:
    if len(case.images) != channels:
        raise DataError(f"case {case.name!r} has {len(case.images)} channel(s) but the model expects {channels}")


def _check_one_grid(case: VolumeCase, geometries: list[Geometry]) -> Geometry:
    for path, geometry in zip(case.images[1:], geometries[1:]):
        if not geometry.matches(geometries[0]):
            raise DataError(f"{path}: grid differs from {case.images[0].name}; resample all channels to one grid")
    return geometries[0]


def case_geometry(case: VolumeCase, channels: int) -> Geometry:
    """The checks of ``load_case`` on the channel files' headers only: cheap enough to run on every
    case before a long job starts."""
    _check_channel_count(case, channels)
    return _check_one_grid(case, [volume_header(path) for path in case.images])


def load_case(case: VolumeCase, normalization: list[str], labels: list[int] | None = None) -> LoadedCase:
    """Read and normalise every channel of a case; check channels and label share one grid."""
    _check_channel_count(case, len(normalization))
    volumes = [read_volume(path) for path in case.images]
    geometry = _check_one_grid(case, [volume.geometry for volume in volumes])
    channels = [normalize(volume.array, scheme) for volume, scheme in zip(volumes, normalization)]
    label = None
    if case.label is not None and labels is not None:
        label_volume = read_label_volume(case.label, labels)
        if label_volume.array.shape != channels[0].shape:
            raise DataError(f"{case.label}: label grid {label_volume.array.shape} differs from the image's "
                            f"{channels[0].shape}; they must be voxel-aligned")
        label = label_volume.array
    return LoadedCase(case.name, np.stack(channels), label, geometry)


def resize_slices(image: torch.Tensor, size: int) -> torch.Tensor:
    """(N, C, H, W) float -> (N, C, size, size), bilinear."""
    return F.interpolate(image, size=(size, size), mode="bilinear", align_corners=False)


class VolumeSlices(Dataset):
    """Slices of ``cases`` as ``{"image": (C, S, S), "label": (1, S, S) long, "name"}``."""

    def __init__(
        self,
        cases: list[VolumeCase],
        labels: list[int],
        normalization: list[str],
        image_size: int,
        foreground_fraction: float | None = None,
        at_least: bool = False,
    ):
        self.image_size = image_size
        self.volumes = [load_case(case, normalization, labels) for case in cases]
        self.index = [(v, z) for v, case in enumerate(self.volumes) for z in range(case.image.shape[1])]
        self.index = oversampled(self.index, [bool(self.volumes[v].label[z].any()) for v, z in self.index],
                                 foreground_fraction, at_least)

    @property
    def case_names(self) -> list[str]:
        """The volumes this split holds, for the run's records."""
        return [case.name for case in self.volumes]

    def __len__(self) -> int:
        return len(self.index)

    def __getitem__(self, index: int) -> dict:
        v, z = self.index[index]
        case = self.volumes[v]
        image = resize_slices(torch.from_numpy(case.image[:, z])[None], self.image_size)[0]
        label = torch.from_numpy(case.label[z].astype(np.float32))[None, None]
        label = F.interpolate(label, size=(self.image_size, self.image_size), mode="nearest")[0].long()
        return {"image": image, "label": label, "name": f"{case.name}_z{z:03d}", "case": v}
