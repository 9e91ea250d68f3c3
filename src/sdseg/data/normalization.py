"""Intensity normalisation per modality, mapping every channel to about [-1, 1] (the encoders' range).

CT is clipped to a window and scaled linearly, so Hounsfield units keep their meaning
across scanners; the presets are the windows the SDSeg authors used for their CT sets
(BTCV/Synapse abdomen: [-175, 250] HU; STS-3D teeth CBCT: width 1200, level 500).
MRI has no absolute scale, so each volume is z-scored over its non-zero voxels
(the brain, not the air) and divided by ``MRI_Z_RANGE``, clipped to [-1, 1]. Colour
channels of photographs stored as volumes (R, G, B, e.g. REFUGE2) are scaled from 0..255.
"""

from __future__ import annotations

import numpy as np

from ..errors import ConfigError

CT_WINDOWS: dict[str, tuple[float, float]] = {
    "ct_abdomen": (-175.0, 250.0),
    "ct_teeth": (-100.0, 1100.0),
}
MRI_Z_RANGE = 5.0
SCHEMES = ("zscore", "uint8", "none", *CT_WINDOWS)


def window(volume: np.ndarray, low: float, high: float) -> np.ndarray:
    """Clip to [low, high] and map linearly to [-1, 1]."""
    return (np.clip(volume, low, high) - low) / (high - low) * 2 - 1


def zscore(volume: np.ndarray) -> np.ndarray:
    """Per-volume z-score over the foreground (non-zero) voxels, scaled and clipped to [-1, 1]."""
    inside = volume[volume != 0] if np.any(volume != 0) else volume.ravel()
    std = float(inside.std()) or 1.0
    return np.clip((volume - float(inside.mean())) / std / MRI_Z_RANGE, -1, 1)


DEFAULT_SCHEMES = {"CT": "ct_abdomen", "CBCT": "ct_teeth", "R": "uint8", "G": "uint8", "B": "uint8"}


def scheme_for(channel_name: str) -> str:
    """The default scheme for a dataset.json channel name: CT windowed, colour channels of photographs
    scaled from 0..255, anything else (MRI) z-scored."""
    return DEFAULT_SCHEMES.get(channel_name.strip().upper(), "zscore")


def normalize(volume: np.ndarray, scheme: str) -> np.ndarray:
    """Apply a named scheme (``zscore``, ``none``, or a CT window preset) to one channel."""
    if scheme == "zscore":
        return zscore(volume).astype(np.float32)
    if scheme == "uint8":
        return (volume.astype(np.float32) / 127.5 - 1).clip(-1, 1)
    if scheme == "none":
        return volume.astype(np.float32)
    if scheme in CT_WINDOWS:
        return window(volume, *CT_WINDOWS[scheme]).astype(np.float32)
    raise ConfigError(f"unknown normalisation {scheme!r}; use one of {', '.join(SCHEMES)}")
