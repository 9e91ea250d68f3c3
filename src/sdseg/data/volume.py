"""3D volumes that carry their geometry, so a prediction can be written back onto the input grid.

A :class:`Volume` is a numpy array in SimpleITK's (z, y, x) order plus the
:class:`Geometry` (spacing, origin, direction) that places it in patient space, as
TorchIO's images do. Readers and writers go through SimpleITK, which handles NIfTI,
NRRD and MetaImage alike; the geometry read from an input is written unchanged onto
its prediction, so the mask overlays exactly in ITK-SNAP or 3D Slicer.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import numpy as np

from ..errors import DataError
from ..io_utils import atomic_path

if TYPE_CHECKING:
    import SimpleITK as sitk

VOLUME_SUFFIXES = (".nii.gz", ".nii", ".nrrd", ".nhdr", ".mha", ".mhd")


def _sitk():
    """SimpleITK, imported on the first volume read or write: 2D runs never load it."""
    import SimpleITK

    return SimpleITK


def volume_suffix(path: str | Path) -> str | None:
    """The volume suffix of ``path`` (``.nii.gz`` counts as one), or None for other files."""
    name = Path(path).name.lower()
    return next((suffix for suffix in VOLUME_SUFFIXES if name.endswith(suffix)), None)


def strip_suffix(path: str | Path) -> str:
    """File name without its (possibly double) volume suffix: ``a_0000.nii.gz`` -> ``a_0000``."""
    name = Path(path).name
    suffix = volume_suffix(name)
    return name[: -len(suffix)] if suffix else Path(name).stem


@dataclass(frozen=True)
class Geometry:
    """Where the voxels sit: spacing and origin in mm and the direction cosines, in (x, y, z) order."""

    spacing: tuple[float, float, float]
    origin: tuple[float, float, float]
    direction: tuple[float, ...]
    size: tuple[int, int, int]  # (x, y, z) voxels

    @classmethod
    def of(cls, image: sitk.Image) -> "Geometry":
        return cls(tuple(image.GetSpacing()), tuple(image.GetOrigin()), tuple(image.GetDirection()),
                   tuple(image.GetSize()))

    def stamp(self, image: sitk.Image) -> sitk.Image:
        image.SetSpacing(self.spacing)
        image.SetOrigin(self.origin)
        image.SetDirection(self.direction)
        return image

    @property
    def spacing_zyx(self) -> tuple[float, float, float]:
        """Spacing in the numpy array's axis order, for distance metrics."""
        return tuple(reversed(self.spacing))

    def matches(self, other: "Geometry", tolerance: float = 1e-4) -> bool:
        return self.size == other.size and all(
            np.allclose(a, b, atol=tolerance)
            for a, b in ((self.spacing, other.spacing), (self.origin, other.origin), (self.direction, other.direction))
        )


@dataclass
class Volume:
    """A (z, y, x) array with its geometry."""

    array: np.ndarray
    geometry: Geometry


@contextmanager
def _volume_errors(path: Path) -> Iterator[None]:
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    try:
        yield
    except RuntimeError as exc:
        first_line = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise DataError(f"{path}: cannot be read as a volume ({first_line}); re-export it as NIfTI") from None


def _require_scalar_3d(path: Path, dimension: int, components: int) -> None:
    if dimension != 3 or components != 1:
        raise DataError(f"{path}: expected a 3D single-channel volume, found {dimension}D with {components} "
                        "component(s); store each channel as its own _XXXX file")


def read_volume(path: str | Path, dtype: type = np.float32) -> Volume:
    """Read a NIfTI/NRRD/MHA file; a 3D scalar volume is required."""
    path = Path(path)
    with _volume_errors(path):
        image = _sitk().ReadImage(str(path))
    _require_scalar_3d(path, image.GetDimension(), image.GetNumberOfComponentsPerPixel())
    return Volume(_sitk().GetArrayFromImage(image).astype(dtype, copy=False), Geometry.of(image))


def volume_header(path: str | Path) -> Geometry:
    """The geometry from the file's header alone, no voxels read: to check many inputs cheaply."""
    path = Path(path)
    reader = _sitk().ImageFileReader()
    reader.SetFileName(str(path))
    with _volume_errors(path):
        reader.ReadImageInformation()
    _require_scalar_3d(path, reader.GetDimension(), reader.GetNumberOfComponents())
    return Geometry(reader.GetSpacing(), reader.GetOrigin(), reader.GetDirection(), reader.GetSize())


def read_label_volume(path: str | Path, labels: list[int]) -> Volume:
    """Read a label map and check that it only holds the dataset's declared labels."""
    volume = read_volume(path, dtype=np.int64)
    found = np.unique(volume.array)
    unknown = sorted(set(found.tolist()) - set(labels))
    if unknown:
        raise DataError(
            f"{path}: label value(s) {unknown[:8]} are not among the dataset's labels {labels}; "
            "fix the label map or the \"labels\" entry of dataset.json"
        )
    return Volume(volume.array.astype(np.uint8), volume.geometry)


def write_volume(path: str | Path, array: np.ndarray, geometry: Geometry) -> None:
    """Write ``array`` (z, y, x) with ``geometry`` under a temporary name, then rename it into place."""
    expected = tuple(reversed(geometry.size))
    if array.shape != expected:
        raise ValueError(f"array shape {array.shape} does not match the geometry's grid {expected}")
    with atomic_path(path) as tmp:
        sitk = _sitk()
        sitk.WriteImage(geometry.stamp(sitk.GetImageFromArray(np.ascontiguousarray(array))), str(tmp),
                        useCompression=True)
