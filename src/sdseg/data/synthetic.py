"""A deterministic, endoscopy-like synthetic segmentation set for ``sdseg demo``.

Real polyp datasets need a download and a licence; the demo must run offline in
seconds yet exercise the same paths as real data: RGB images, 0/255 masks, mixed
image sizes, empty masks and a ``splits.json``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from ..io_utils import write_json
from .image_io import write_png

LESION_COUNT_P = (0.1, 0.65, 0.25)  # share of images with 0, 1 and 2 lesions
MUCOSA_RGB = (190.0, 80.0, 75.0)
LESION_TINT = (20.0, 42.0, 25.0)  # lesions are paler and more yellow than the mucosa


def _smooth_noise(rng: np.random.Generator, shape: tuple[int, int], cells: int, channels: int = 1) -> np.ndarray:
    """Unit-scale noise with features about 1/``cells`` of the image: a coarse grid, bicubically upsampled."""
    h, w = shape
    grid = rng.standard_normal((channels, cells, cells)).astype(np.float32)
    return np.stack([np.asarray(Image.fromarray(g).resize((w, h), Image.BICUBIC)) for g in grid], axis=-1)


def _lesion(rng: np.random.Generator, yy: np.ndarray, xx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One polyp-like blob: a star-shaped region whose radius carries a few low-order Fourier harmonics,
    so the outline is irregular but smooth. Returns (antialiased alpha, dome shading, shadow outside)."""
    h, w = yy.shape
    radius = rng.uniform(0.12, 0.28) * min(h, w)
    cy, cx = rng.uniform(0.2, 0.8) * h, rng.uniform(0.2, 0.8) * w
    dy, dx = yy - cy, xx - cx
    dist, theta = np.hypot(dy, dx), np.arctan2(dy, dx)
    k = np.arange(2, 6)
    amps, phases = rng.uniform(0, 0.5, k.size) / k, rng.uniform(0, 2 * np.pi, k.size)
    edge = radius * (1 + (amps * np.cos(k * theta[..., None] + phases)).sum(-1))
    alpha = np.clip(edge - dist + 0.5, 0, 1)
    dome = np.sqrt(np.clip(1 - (dist / edge) ** 2, 0, 1))
    shadow = np.exp(-np.maximum(dist - edge, 0) / (0.12 * radius))
    return alpha, dome, shadow


def _specular(rng: np.random.Generator, yy: np.ndarray, xx: np.ndarray) -> np.ndarray:
    """A few small bright reflections of the endoscope's light, as in real frames."""
    h, w = yy.shape
    glare = np.zeros((h, w), np.float32)
    for _ in range(rng.integers(2, 7)):
        cy, cx, sigma = rng.uniform(0, h), rng.uniform(0, w), rng.uniform(0.6, 1.8)
        glare = np.maximum(glare, np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / (2 * sigma**2)))
    return glare


def _make_case(rng: np.random.Generator, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """One (RGB image, 0/255 mask) pair."""
    h, w = shape
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    base = np.asarray(MUCOSA_RGB) + rng.uniform(-15, 15, 3)
    image = base * (1 + 0.12 * _smooth_noise(rng, shape, 4, 3))
    mask = np.zeros((h, w), bool)
    for _ in range(rng.choice(3, p=LESION_COUNT_P)):
        alpha, dome, shadow = _lesion(rng, yy, xx)
        tint = base + np.asarray(LESION_TINT) + rng.uniform(-10, 10, 3)
        texture = 10 * _smooth_noise(rng, shape, max(h, w) // 8)
        lesion = tint * (0.8 + 0.3 * dome[..., None]) + texture
        image *= (1 - 0.25 * shadow * (1 - alpha))[..., None]
        image = image * (1 - alpha[..., None]) + lesion * alpha[..., None]
        mask |= alpha >= 0.5
    image += 8 * _smooth_noise(rng, shape, max(h, w) // 4) + 3 * rng.standard_normal((h, w, 1))  # fine texture
    ry, rx = (yy - (h - 1) / 2) / (h / 2), (xx - (w - 1) / 2) / (w / 2)
    image *= (1 - 0.65 * ((ry**2 + rx**2) / 2) ** 1.25)[..., None]  # dark towards the corners
    glare = _specular(rng, yy, xx)[..., None]
    image = image * (1 - glare) + 250 * glare
    return np.clip(image, 0, 255).astype(np.uint8), mask.astype(np.uint8) * 255


def make_synthetic_dataset(root: str | Path, num_images: int = 300, seed: int = 0,
                           sizes: tuple[tuple[int, int], ...] = ((96, 96), (96, 120))) -> Path:
    """Write ``images/``, ``masks/`` and a seeded 70/15/15 ``splits.json`` under ``root``.

    Every image has its own generator derived from ``(seed, index)`` and picks its
    (height, width) from ``sizes``, so output is byte-identical on re-runs and mixed
    sizes exercise resizing back to the original resolution. Val and test get at
    least one case each so that no split is ever empty.
    """
    if num_images < 3:
        raise ValueError(f"num_images must be at least 3 (one per split), got {num_images}")
    root = Path(root)
    stems = [f"case_{i:04d}" for i in range(num_images)]
    for i, stem in enumerate(stems):
        rng = np.random.default_rng([seed, i])
        image, mask = _make_case(rng, tuple(sizes[rng.integers(len(sizes))]))
        write_png(root / "images" / f"{stem}.png", image)
        write_png(root / "masks" / f"{stem}.png", mask)
    order = [stems[i] for i in np.random.default_rng(seed).permutation(num_images)]
    n_val = n_test = max(1, round(0.15 * num_images))
    n_train = num_images - n_val - n_test
    splits = {"train": order[:n_train], "val": order[n_train:n_train + n_val], "test": order[n_train + n_val:]}
    write_json(root / "splits.json", {name: sorted(names) for name, names in splits.items()})
    return root
