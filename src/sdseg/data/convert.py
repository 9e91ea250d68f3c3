"""``sdseg convert``: the layouts users download -> the layouts sdseg trains on.

2D binary sets (Kvasir-SEG, CVC-ClinicDB) become an image/mask folder; sets with
several labels or with volumes (REFUGE2, BTCV/Synapse, STS-3D) become nnU-Net v2 raw
datasets. Volumes are copied file for file, so their geometry is untouched. Every
converter checks its source first and writes into a temporary folder that is renamed
into place only when complete.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Callable

import numpy as np
import SimpleITK as sitk
from PIL import Image

from ..errors import DataError
from ..io_utils import atomic_path
from .image_io import IMAGE_SUFFIXES, read_image, read_mask, write_png
from .volume import read_volume, strip_suffix, volume_suffix, write_volume

BTCV_LABELS = ("spleen", "right_kidney", "left_kidney", "gallbladder", "esophagus", "liver", "stomach", "aorta",
               "inferior_vena_cava", "portal_and_splenic_veins", "pancreas", "right_adrenal_gland",
               "left_adrenal_gland")
BTCV_TEST = ("0001", "0002", "0003", "0004", "0008", "0022", "0025", "0029", "0032", "0035", "0036", "0038")
"""The 12 test volumes of the TransUNet split, which the SDSeg paper follows."""
REFUGE_GREY = {0: 2, 128: 1, 255: 0}  # REFUGE masks: cup 0, disc rim 128, background 255 -> cup 2, disc 1
REFUGE_LUT = np.zeros(256, np.uint8)
for _grey, _label in REFUGE_GREY.items():
    REFUGE_LUT[_grey] = _label


def _files(folder: Path, what: str, suffixes: tuple[str, ...] = IMAGE_SUFFIXES) -> dict[str, Path]:
    if not folder.is_dir():
        raise DataError(f"{folder}: folder not found; expected the {what} folder of the download")
    files = {strip_suffix(p) if volume_suffix(p) else p.stem: p for p in sorted(folder.iterdir())
             if p.is_file() and (p.suffix.lower() in suffixes or volume_suffix(p) in suffixes)}
    if not files:
        raise DataError(f"{folder}: no {what} files found")
    return files


def _pairs(images: dict[str, Path], masks: dict[str, Path], source: Path) -> list[str]:
    unpaired = sorted(set(images) ^ set(masks))
    if unpaired:
        raise DataError(f"{source}: {len(unpaired)} file(s) without a partner, e.g. {unpaired[:3]}")
    return sorted(images)


def _binary_2d(source: Path, output: Path, image_dir: str, mask_dir: str) -> int:
    images, masks = _files(source / image_dir, "image"), _files(source / mask_dir, "mask")
    names = _pairs(images, masks, source)
    with atomic_path(output) as tmp:
        for name in names:
            image, mask = read_image(images[name]), _read_any_binary(masks[name])
            if image.shape[:2] != mask.shape:
                raise DataError(f"{masks[name]}: mask size {mask.shape} differs from its image {image.shape[:2]}")
            write_png(tmp / "images" / f"{name}.png", image)
            write_png(tmp / "masks" / f"{name}.png", mask * 255)
    return len(names)


def _read_any_binary(path: Path) -> np.ndarray:
    """Downloaded masks are often JPEG or RGB: threshold the grey level at 127."""
    try:
        return read_mask(path)
    except DataError:
        return (np.asarray(Image.open(path).convert("L")) > 127).astype(np.uint8)


def convert_kvasir_seg(source: Path, output: Path) -> int:
    """``Kvasir-SEG/images/*.jpg`` + ``masks/*.jpg`` -> images/ + masks/ (PNG, 0/255)."""
    return _binary_2d(source, output, "images", "masks")


def convert_cvc_clinicdb(source: Path, output: Path) -> int:
    """``CVC-ClinicDB/Original/*.tif`` + ``Ground Truth/*.tif`` -> images/ + masks/."""
    return _binary_2d(source, output, "Original", "Ground Truth")


def _dataset_json(folder: Path, channels: list[str], labels: list[str], n_train: int, description: str) -> None:
    meta = {"channel_names": {str(i): c for i, c in enumerate(channels)},
            "labels": {name: i for i, name in enumerate(["background", *labels])},
            "numTraining": n_train, "file_ending": ".nii.gz", "description": description}
    (folder / "dataset.json").write_text(json.dumps(meta, indent=1) + "\n")


def _as_slice(array: np.ndarray, path: Path) -> None:
    """Write a 2D array as a one-slice volume (unit spacing), the nnU-Net way to store 2D images."""
    image = sitk.GetImageFromArray(array[None])
    sitk.WriteImage(image, str(path), useCompression=True)


def convert_refuge2(source: Path, output: Path) -> int:
    """REFUGE2 ``Images/`` + ``Disc_Cup_Masks/`` (grey 255 background, 128 disc rim, 0 cup) ->
    an nnU-Net dataset of one-slice volumes, channels R, G, B, labels disc 1 and cup 2.

    Disc (rim + cup) is reported as the ``foreground`` region by ``sdseg evaluate``."""
    images, masks = _files(source / "Images", "image"), _files(source / "Disc_Cup_Masks", "mask")
    names = _pairs(images, masks, source)
    with atomic_path(output) as tmp:
        for folder in ("imagesTr", "labelsTr"):
            (tmp / folder).mkdir(parents=True)
        for name in names:
            image = read_image(images[name])
            grey = np.asarray(Image.open(masks[name]).convert("L"))
            unknown = sorted(set(np.unique(grey).tolist()) - set(REFUGE_GREY))
            if unknown:
                raise DataError(f"{masks[name]}: grey levels {unknown[:5]} are not REFUGE's 0/128/255")
            if image.shape[:2] != grey.shape:
                raise DataError(f"{masks[name]}: mask size {grey.shape} differs from its image {image.shape[:2]}")
            for c in range(3):
                _as_slice(image[..., c].astype(np.float32), tmp / "imagesTr" / f"{name}_{c:04d}.nii.gz")
            _as_slice(REFUGE_LUT[grey], tmp / "labelsTr" / f"{name}.nii.gz")
        _dataset_json(tmp, ["R", "G", "B"], ["disc", "cup"], len(names), "REFUGE2 optic disc and cup")
    return len(names)


def _copy_volumes(pairs: dict[str, tuple[Path, Path]], test: set[str], folder: Path,
                  relabel: Callable[[Path, Path], None] | None = None) -> None:
    for sub in ("imagesTr", "labelsTr", "imagesTs", "labelsTs"):
        (folder / sub).mkdir(parents=True)
    for case, (image, label) in sorted(pairs.items()):
        images, labels = ("imagesTs", "labelsTs") if case in test else ("imagesTr", "labelsTr")
        shutil.copyfile(image, folder / images / f"{case}_0000.nii.gz")
        (relabel or shutil.copyfile)(label, folder / labels / f"{case}.nii.gz")


def _digits(name: str) -> str:
    return "".join(ch for ch in name if ch.isdigit())


def convert_btcv(source: Path, output: Path) -> int:
    """BTCV / Synapse ``img/imgXXXX.nii.gz`` + ``label/labelXXXX.nii.gz`` -> nnU-Net, 13 organs, CT;
    the TransUNet test volumes go to imagesTs/labelsTs."""
    images = {_digits(k): v for k, v in _files(source / "img", "image", (".nii.gz", ".nii")).items()}
    labels = {_digits(k): v for k, v in _files(source / "label", "label", (".nii.gz", ".nii")).items()}
    cases = _pairs(images, labels, source)
    with atomic_path(output) as tmp:
        _copy_volumes({f"btcv_{c}": (images[c], labels[c]) for c in cases}, {f"btcv_{c}" for c in BTCV_TEST}, tmp)
        n_train = sum(c not in BTCV_TEST for c in cases)
        _dataset_json(tmp, ["CT"], list(BTCV_LABELS), n_train, "BTCV abdomen (Synapse), 13 organs")
    return len(cases)


def _binary_label(source: Path, target: Path) -> None:
    volume = read_volume(source, dtype=np.int64)
    write_volume(target, (volume.array > 0).astype(np.uint8), volume.geometry)


def convert_sts3d(source: Path, output: Path) -> int:
    """STS-3D tooth CBCT ``labelled/image/*.nii.gz`` + ``labelled/label/*.nii.gz`` -> nnU-Net, binary tooth,
    channel "CBCT" (normalised with the ``ct_teeth`` window)."""
    root = source / "labelled"
    images = _files(root / "image", "image", (".nii.gz", ".nii"))
    labels = _files(root / "label", "label", (".nii.gz", ".nii"))
    cases = _pairs(images, labels, root)
    with atomic_path(output) as tmp:
        _copy_volumes({c: (images[c], labels[c]) for c in cases}, set(), tmp, relabel=_binary_label)
        _dataset_json(tmp, ["CBCT"], ["tooth"], len(cases), "STS-3D tooth CBCT")
    return len(cases)


CONVERTERS: dict[str, Callable[[Path, Path], int]] = {
    "kvasir-seg": convert_kvasir_seg,
    "cvc-clinicdb": convert_cvc_clinicdb,
    "refuge2": convert_refuge2,
    "btcv": convert_btcv,
    "sts3d": convert_sts3d,
}


def convert(layout: str, source: str | Path, output: str | Path) -> int:
    """Convert ``source`` (a download in ``layout``) into ``output``; returns the number of cases."""
    output = Path(output)
    if output.exists():
        raise DataError(f"{output}: already exists; choose a new output folder")
    return CONVERTERS[layout](Path(source), output)
