"""``sdseg predict`` on volumes: slice by slice, back onto the input grid, written with its geometry.

Slices are predicted in batches at the model's size, their per-class probabilities are
resized back to the slice's in-plane size (bilinear), and labels are taken there, so
the output has exactly the input's voxel grid; the first channel's spacing, origin and
direction are written unchanged. Slice z uses noise seed ``seed + z``.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from tqdm.auto import tqdm

from ..data.nnunet_dataset import VolumeCase
from ..data.slice_dataset import load_case, resize_slices
from ..data.volume import Geometry, write_volume
from ..errors import DataError
from ..models.sdseg import SDSegModel, probabilities_to_labels


@torch.inference_mode()
def predict_volume(
    model: SDSegModel, case: VolumeCase, steps: int = 1, seed: int = 0, batch_size: int = 16
) -> tuple[np.ndarray, Geometry]:
    """Labels (z, y, x) uint8 for one case, and the geometry to write them with."""
    if model.config.normalization is None:
        raise DataError(f"case {case.name!r} is a volume but the model was trained on 2D images; "
                        "train on an nnU-Net dataset to segment volumes")
    loaded = load_case(case, model.config.normalization)
    device = next(model.parameters()).device
    depth, height, width = loaded.image.shape[1:]
    labels = np.zeros((depth, height, width), dtype=np.uint8)
    for start in range(0, depth, batch_size):
        stop = min(start + batch_size, depth)
        slices = torch.from_numpy(loaded.image[:, start:stop]).permute(1, 0, 2, 3).to(device)
        seeds = list(range(seed + start, seed + stop))
        probability = model.predict_proba(resize_slices(slices, model.config.image_size), seeds, steps)
        probability = F.interpolate(probability.float(), size=(height, width), mode="bilinear", align_corners=False)
        labels[start:stop] = probabilities_to_labels(probability).cpu().numpy()
    return labels, loaded.geometry


def predict_volumes(
    model: SDSegModel,
    cases: list[VolumeCase],
    output_dir: str | Path,
    file_ending: str = ".nii.gz",
    steps: int = 1,
    seed: int = 0,
    batch_size: int = 16,
) -> dict:
    """Write ``output_dir/CASE<file_ending>`` (uint8 labels, the input's geometry) per case."""
    if not cases:
        raise DataError("no input volumes given")
    output_dir = Path(output_dir)
    started, slices = time.perf_counter(), 0
    for case in tqdm(cases, desc=f"predict volumes ({steps} step{'s' * (steps > 1)})", unit="case"):
        labels, geometry = predict_volume(model, case, steps, seed, batch_size)
        write_volume(output_dir / f"{case.name}{file_ending}", labels, geometry)
        slices += len(labels)
    seconds = time.perf_counter() - started
    return {"volumes": len(cases), "slices": slices, "seconds": round(seconds, 2),
            "slices_per_second": round(slices / seconds, 2)}
