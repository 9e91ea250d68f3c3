"""Shared fixtures: a micro preset (seconds on a CPU) and a small dataset of discs."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from sdseg.config import Preset
from sdseg.models import SDSegModel, build_autoencoder

MICRO = {
    "name": "micro",
    "image_size": 32,
    "autoencoder": {"block_out_channels": [8, 8, 16, 16], "layers_per_block": 1, "latent_channels": 4,
                    "norm_num_groups": 4},
    "unet": {"block_out_channels": [16, 32], "layers_per_block": 1,
             "down_block_types": ["DownBlock2D", "AttnDownBlock2D"], "up_block_types": ["AttnUpBlock2D", "UpBlock2D"],
             "attention_head_dim": 8, "norm_num_groups": 4},
    "scheduler": {"num_train_timesteps": 1000, "beta_start": 0.0015, "beta_end": 0.0155,
                  "beta_schedule": "scaled_linear", "clip_sample": False},
    "autoencoder_training": {"steps": 6, "batch_size": 4, "lr": 1e-3, "warmup_steps": 1, "val_every": 3,
                             "checkpoint_every": 3},
    "training": {"steps": 6, "batch_size": 4, "lr": 1e-3, "warmup_steps": 1, "val_every": 3, "checkpoint_every": 3,
                 "val_batch_size": 8},
}


@pytest.fixture
def micro_dict() -> dict:
    return copy.deepcopy(MICRO)


@pytest.fixture
def micro_preset() -> Preset:
    return Preset.from_dict(copy.deepcopy(MICRO))


@pytest.fixture
def micro_preset_file(tmp_path) -> Path:
    path = tmp_path / "micro.json"
    path.write_text(json.dumps(MICRO))
    return path


@pytest.fixture
def micro_model(micro_preset) -> SDSegModel:
    torch.manual_seed(0)
    return SDSegModel.from_preset(micro_preset, build_autoencoder(micro_preset.autoencoder, 32)).eval()


def write_disc_dataset(root: Path, n: int = 16, seed: int = 0) -> Path:
    """Bright discs on a noisy background, 40x48 (not square, not the model size), 0/255 masks."""
    rng = np.random.default_rng(seed)
    (root / "images").mkdir(parents=True)
    (root / "masks").mkdir()
    yy, xx = np.mgrid[:40, :48]
    for i in range(n):
        cy, cx, r = rng.integers(12, 28), rng.integers(12, 36), rng.integers(5, 11)
        mask = (yy - cy) ** 2 + (xx - cx) ** 2 < r * r if i % 5 else np.zeros((40, 48), bool)
        image = 90 + 100 * mask[..., None] + rng.normal(0, 12, (40, 48, 3))
        Image.fromarray(image.clip(0, 255).astype(np.uint8)).save(root / "images" / f"case{i:02d}.png")
        Image.fromarray(mask.astype(np.uint8) * 255).save(root / "masks" / f"case{i:02d}.png")
    names = [f"case{i:02d}" for i in range(n)]
    (root / "splits.json").write_text(json.dumps({"train": names[:10], "val": names[10:13], "test": names[13:]}))
    return root


@pytest.fixture
def disc_dataset(tmp_path) -> Path:
    return write_disc_dataset(tmp_path / "discs")


def write_nnunet_dataset(root: Path, n_train: int = 4, n_test: int = 2, shape=(6, 24, 20), seed: int = 0) -> Path:
    """Two-channel volumes with two labelled spheres-ish blobs, anisotropic spacing, oblique-free geometry."""
    import SimpleITK as sitk

    rng = np.random.default_rng(seed)
    zz, yy, xx = np.mgrid[: shape[0], : shape[1], : shape[2]]
    for folder in ("imagesTr", "labelsTr", "imagesTs", "labelsTs"):
        (root / folder).mkdir(parents=True, exist_ok=True)

    def save(array: np.ndarray, path: Path) -> None:
        image = sitk.GetImageFromArray(array)
        image.SetSpacing((0.8, 0.9, 3.0))
        image.SetOrigin((-10.0, 5.0, 2.5))
        image.SetDirection((1, 0, 0, 0, -1, 0, 0, 0, 1))
        sitk.WriteImage(image, str(path))

    for i in range(n_train + n_test):
        images, labels = ("imagesTr", "labelsTr") if i < n_train else ("imagesTs", "labelsTs")
        cy, cx = rng.integers(8, shape[1] - 8), rng.integers(8, shape[2] - 8)
        label = np.zeros(shape, np.uint8)
        label[(yy - cy) ** 2 + (xx - cx) ** 2 < 30] = 1
        label[((yy - cy) ** 2 + (xx - cx) ** 2 < 8) & (zz > 1)] = 2
        label[0] = 0  # an empty slice
        for c in range(2):
            image = rng.normal(0, 1, shape) + (1 + c) * label
            save(image.astype(np.float32), root / images / f"case{i:02d}_{c:04d}.nii.gz")
        save(label, root / labels / f"case{i:02d}.nii.gz")
    (root / "dataset.json").write_text(json.dumps({
        "channel_names": {"0": "FLAIR", "1": "T1c"}, "labels": {"background": 0, "core": 1, "centre": 2},
        "numTraining": n_train, "file_ending": ".nii.gz",
    }))
    return root


@pytest.fixture
def nnunet_dataset(tmp_path) -> Path:
    return write_nnunet_dataset(tmp_path / "Dataset009_Tiny")
