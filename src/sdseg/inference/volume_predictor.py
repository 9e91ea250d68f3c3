"""``sdseg predict`` on volumes: slice by slice, back onto the input grid, written with its geometry.

Slices are predicted in batches at the model's size, their per-class probabilities are
resized back to the slice's in-plane size (bilinear), and labels are taken there, so
the output has exactly the input's voxel grid; the first channel's spacing, origin and
direction are written unchanged. Slice z uses noise seed ``seed + z``.

Memory: the normalised case (float32) and the uint8 label volume are held whole; slices
stream through a DataLoader in batches, and per-class probabilities exist for one batch
at a time, so the peak stays a small multiple of the input size whatever the class count.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset
from tqdm.auto import tqdm

from ..data.nnunet_dataset import VolumeCase
from ..data.slice_dataset import LoadedCase, load_case, resize_slices
from ..data.volume import write_volume
from ..errors import DataError
from ..models.sdseg import SDSegModel
from .engine import InferenceSettings
from .ensemble import ModelEnsemble
from .predictor import OnFailure, stop_on_failure


class CaseSlices(Dataset):
    """Axial slices of one loaded case, resized to the model's input, with their index."""

    def __init__(self, case: LoadedCase, image_size: int):
        self.image, self.image_size = case.image, image_size

    def __len__(self) -> int:
        return self.image.shape[1]

    def __getitem__(self, z: int) -> dict:
        return {"image": resize_slices(torch.from_numpy(self.image[:, z])[None], self.image_size)[0], "z": z}


@torch.inference_mode()
def predict_volume(model: SDSegModel | ModelEnsemble, case: LoadedCase, settings: InferenceSettings) -> np.ndarray:
    """Labels (z, y, x) uint8 for one loaded case, on its grid."""
    labels = np.zeros(case.image.shape[1:], dtype=np.uint8)
    size, scheme = labels.shape[1:], model.label_scheme
    loader = DataLoader(CaseSlices(case, model.config.image_size), batch_size=settings.batch_size,
                        num_workers=settings.num_workers, pin_memory=settings.on_gpu)
    for batch in loader:
        z = batch["z"]
        with settings.autocast():
            probability = settings.soft_masks(model, settings.to_device(batch["image"]), (settings.seed + z).tolist())
        probability = F.interpolate(probability.float(), size=size, mode="bilinear", align_corners=False)
        labels[z[0]:z[-1] + 1] = scheme.to_labels(probability).cpu().numpy()  # unshuffled: z is a run
    return labels


def predict_volumes(
    model: SDSegModel | ModelEnsemble,
    cases: list[VolumeCase],
    output_dir: str | Path,
    file_ending: str = ".nii.gz",
    settings: InferenceSettings | None = None,
    indices: list[int] | None = None,
    on_failure: OnFailure = stop_on_failure,
) -> dict:
    """Write ``output_dir/CASE<file_ending>`` (uint8 labels, the input's geometry) for each case in
    ``indices`` (default: all); a case that cannot be read goes to ``on_failure`` (default: stop).
    ``settings`` default to the model's device, fp32, 1 step."""
    if not cases:
        raise DataError("no input volumes given")
    if model.config.normalization is None:
        raise DataError(f"case {cases[0].name!r} is a volume but the model was trained on 2D images; "
                        "train on an nnU-Net dataset to segment volumes")
    settings = settings or InferenceSettings.of_model(model)
    output_dir = Path(output_dir)
    started, slices, written = time.perf_counter(), 0, 0
    for i in tqdm(range(len(cases)) if indices is None else indices, desc=f"{settings.label} volumes", unit="case"):
        try:
            loaded = load_case(cases[i], model.config.normalization)
        except DataError as exc:
            on_failure(i, str(exc))
            continue
        labels = predict_volume(model, loaded, settings)
        write_volume(output_dir / f"{cases[i].name}{file_ending}", labels, loaded.geometry)
        slices, written = slices + len(labels), written + 1
    seconds = time.perf_counter() - started
    return {"volumes": written, "slices": slices, "seconds": round(seconds, 2),
            "slices_per_second": round(slices / seconds, 2)}
