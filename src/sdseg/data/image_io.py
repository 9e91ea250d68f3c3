"""Reading and writing 2D images and masks, with errors that name the file at fault."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import numpy as np
from PIL import Image, UnidentifiedImageError

from ..errors import DataError
from ..io_utils import atomic_path

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff")
LOSSY_SUFFIXES = (".jpg", ".jpeg")
END_MARKERS = {"PNG": b"IEND", "JPEG": b"\xff\xd9"}  # by PIL's format name
TAIL_BYTES = 1024  # room for the few bytes some writers leave after the end marker


@contextmanager
def _image_errors(path: Path) -> Iterator[None]:
    try:
        yield
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise DataError(f"{path}: cannot be read as an image ({exc}); re-export it as PNG or JPEG") from exc


def _open(path: Path) -> Image.Image:
    with _image_errors(path):
        image = Image.open(path)
        image.load()
    return image


def image_size(path: str | Path) -> tuple[int, int]:
    """(height, width) from the file header, without decoding the pixels."""
    path = Path(path)
    with _image_errors(path), Image.open(path) as image:
        return image.height, image.width


def check_image_file(path: str | Path) -> None:
    """Read the header and, for PNG and JPEG, look for the end marker among the last bytes.

    The header alone passes a file cut short by an interrupted copy; its missing end marker
    gives it away without decoding the pixels.
    """
    path = Path(path)
    with _image_errors(path), Image.open(path) as image:
        marker = END_MARKERS.get(image.format)
    if marker is None:
        return
    with path.open("rb") as file:
        file.seek(max(0, path.stat().st_size - TAIL_BYTES))
        if marker not in file.read():
            raise DataError(f"{path}: the file ends without its end-of-image marker, so it was cut short "
                            "(an interrupted copy?); copy or export it again")


def read_image(path: str | Path) -> np.ndarray:
    """Return an RGB image as ``uint8`` (H, W, 3); grey images are replicated to 3 channels."""
    path = Path(path)
    image = _open(path)
    if image.mode in ("I;16", "I;16B", "I", "F"):
        array = np.asarray(image, dtype=np.float64)
        lo, hi = float(array.min()), float(array.max())
        array = (array - lo) / (hi - lo) * 255 if hi > lo else np.zeros_like(array)
        image = Image.fromarray(array.astype(np.uint8))
    return np.asarray(image.convert("RGB"), dtype=np.uint8)


def read_mask(path: str | Path) -> np.ndarray:
    """Return a binary mask as ``uint8`` (H, W) with values 0 and 1.

    Accepted encodings: 0/1 or 0/255. JPEG masks carry compression noise, so they are
    thresholded at 127 instead of being checked. Anything else is an error, because a
    silent guess (e.g. treating label 2 as foreground) would corrupt training.
    """
    path = Path(path)
    image = _open(path)
    array = np.asarray(image.convert("L") if image.mode in ("RGB", "RGBA", "P", "LA") else image)
    if array.ndim != 2:
        raise DataError(f"{path}: mask has shape {array.shape}; expected a single-channel image")
    if path.suffix.lower() in LOSSY_SUFFIXES:
        return (array > 127).astype(np.uint8)
    values = np.unique(array)
    if set(values.tolist()) <= {0, 1}:
        return array.astype(np.uint8)
    if set(values.tolist()) <= {0, 255}:
        return (array == 255).astype(np.uint8)
    shown = ", ".join(str(v) for v in values[:8]) + (", ..." if len(values) > 8 else "")
    raise DataError(
        f"{path}: mask values {{{shown}}} are not binary; save masks with values 0/1 or 0/255"
    )


def write_png(path: str | Path, array: np.ndarray) -> None:
    """Write a ``uint8`` array as PNG under a temporary name, then rename it into place."""
    with atomic_path(path) as tmp:
        Image.fromarray(np.ascontiguousarray(array)).save(tmp, format="PNG")


def list_images(folder: str | Path) -> list[Path]:
    """All image files directly in ``folder``, sorted by name."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"{folder}: folder not found")
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
    if not files:
        raise DataError(f"{folder}: no images found (looked for {', '.join(IMAGE_SUFFIXES)})")
    return files
