"""``sdseg stability``: the paper's stability protocol on any trained model.

The model is run ``M`` times on the same images with noise seeds ``0..M-1`` and the soft
maps (probabilities before the 0.5 threshold, at each image's original size) are compared
with run 0's:

- dataset level: LPIPS of run i vs run 0 averaged over images and over i = 1..M-1, and the
  mean ± std over runs of the dataset Dice;
- instance level: SSIM, MS-SSIM and PSNR of each image's runs 1..M-1 vs run 0, averaged per
  image and then over images. Pairs where either thresholded map is empty are skipped, as is
  an infinite PSNR (identical maps); the skipped counts are reported. MS-SSIM needs images
  larger than 160 pixels on their short side and is undefined below that;
- per image: the std of Dice over runs, and an uncertainty map (pixel-wise std over runs).

Maps are streamed: only run 0's maps and running sums are held, not M copies of the set.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

import numpy as np
import torch
from torchmetrics.functional.image import (
    multiscale_structural_similarity_index_measure,
    peak_signal_noise_ratio,
    structural_similarity_index_measure,
)

from ..data.image_io import read_mask, write_png
from ..errors import DataError
from ..io_utils import write_json
from ..inference.engine import InferenceSettings
from ..inference.ensemble import ModelEnsemble
from ..inference.predictor import iter_probabilities
from ..models.sdseg import SDSegModel
from .metrics import dice

MS_SSIM_MIN_SIDE = 161  # 11-pixel window at the coarsest of 5 scales: (11 - 1) * 2**4 + 1
UNCERTAINTY_SCALE = 510  # std of a probability is at most 0.5; PNG value = std * 510


def load_lpips() -> tuple[Callable[[torch.Tensor, torch.Tensor], torch.Tensor] | None, str | None]:
    """The ``lpips`` package's AlexNet LPIPS, or ``(None, reason)`` when it or its weights are missing.

    LPIPS is a learned metric: without its pretrained network there is no honest substitute,
    so the caller reports it as unavailable rather than computing something else.
    """
    try:
        import lpips  # noqa: PLC0415 - optional: needs torchvision and downloaded AlexNet weights
        net = lpips.LPIPS(net="alex", verbose=False).eval()
    except Exception as exc:  # ImportError, or a failed weight download on an offline machine
        return None, f"{type(exc).__name__}: {exc}".strip()
    return (lambda a, b: net(a * 2 - 1, b * 2 - 1)), None


def pair_similarity(first: torch.Tensor, other: torch.Tensor) -> dict[str, float | None]:
    """SSIM, MS-SSIM and PSNR of two soft maps (H, W) in [0, 1]; None where undefined."""
    a, b = first[None, None].float(), other[None, None].float()
    psnr = float(peak_signal_noise_ratio(b, a, data_range=1.0))
    ms_ssim = None
    if min(a.shape[-2:]) >= MS_SSIM_MIN_SIDE:
        ms_ssim = float(multiscale_structural_similarity_index_measure(b, a, data_range=1.0))
    return {
        "ssim": float(structural_similarity_index_measure(b, a, data_range=1.0)),
        "ms_ssim": ms_ssim,
        "psnr": psnr if math.isfinite(psnr) else None,
    }


def _mean(values: list[float]) -> float | None:
    return float(np.mean(values)) if values else None


class _Accumulator:
    """Run 0's maps, running sums for the pixel-wise std, and per-image similarity values."""

    def __init__(self, num_images: int):
        self.first: dict[int, torch.Tensor] = {}
        self.total: dict[int, torch.Tensor] = {}
        self.squares: dict[int, torch.Tensor] = {}
        self.pairs: list[dict[str, list[float]]] = [{"ssim": [], "ms_ssim": [], "psnr": []} for _ in range(num_images)]
        self.skipped = {"empty_prediction": 0, "infinite_psnr": 0, "ms_ssim_image_too_small": 0}

    def add(self, run: int, index: int, probability: torch.Tensor) -> None:
        probability = probability.double()
        if run == 0:
            self.first[index] = probability
            self.total[index], self.squares[index] = probability.clone(), probability**2
            return
        self.total[index] += probability
        self.squares[index] += probability**2
        first = self.first[index]
        if not (first > 0.5).any() or not (probability > 0.5).any():
            self.skipped["empty_prediction"] += 1
            return
        scores = pair_similarity(first, probability)
        self.skipped["infinite_psnr"] += scores["psnr"] is None
        self.skipped["ms_ssim_image_too_small"] += scores["ms_ssim"] is None
        for name, value in scores.items():
            if value is not None:
                self.pairs[index][name].append(value)

    def std_map(self, index: int, runs: int) -> torch.Tensor:
        mean = self.total[index] / runs
        return (self.squares[index] / runs - mean**2).clamp_min(0).sqrt()

    def instance_level(self) -> dict[str, Any]:
        level: dict[str, Any] = {}
        for name in ("ssim", "ms_ssim", "psnr"):
            per_image = [float(np.mean(p[name])) for p in self.pairs if p[name]]
            level[name] = _mean(per_image)
            level[f"{name}_images"] = len(per_image)
        return level


def run_stability(
    model: SDSegModel | ModelEnsemble,
    paths: list[Path],
    output_dir: str | Path,
    masks: dict[str, Path] | None = None,
    runs: int = 10,
    settings: InferenceSettings | None = None,
) -> dict[str, Any]:
    """Run the protocol; write run 0's masks, ``uncertainty/NAME.png`` and ``stability.json``.

    ``masks`` maps image stems to ground-truth masks; without it the Dice parts are omitted.
    Run i uses noise seed i whatever ``settings.seed`` says; ``settings`` default to the model's device.
    """
    if runs < 2:
        raise DataError(f"--runs {runs}: stability needs at least 2 runs to compare")
    if model is not None and model.config.num_classes != 1:
        raise DataError("the stability protocol compares binary soft maps; this model has "
                        f"{model.config.num_classes} classes")
    settings = settings or InferenceSettings.of_model(model)
    output_dir = Path(output_dir)
    targets = _read_targets(paths, masks) if masks is not None else None
    lpips_fn, lpips_reason = load_lpips()
    accumulator = _Accumulator(len(paths))
    dice_runs = np.zeros((runs, len(paths)))
    lpips_runs: list[float] = []
    for run in range(runs):
        lpips_values = []
        for index, probability in iter_probabilities(model, paths, replace(settings, seed=run),
                                                     f"stability run {run + 1}/{runs}"):
            probability = probability[0]
            accumulator.add(run, index, probability)
            if targets is not None:
                dice_runs[run, index] = dice(probability.numpy() > 0.5, targets[index])
            if run == 0:
                write_png(output_dir / f"{paths[index].stem}.png", (probability > 0.5).numpy().astype(np.uint8))
            elif lpips_fn is not None:
                first = accumulator.first[index].float()[None, None].expand(1, 3, -1, -1)
                lpips_values.append(float(lpips_fn(first, probability.float()[None, None].expand(1, 3, -1, -1))))
        if run > 0 and lpips_values:
            lpips_runs.append(float(np.mean(lpips_values)))

    for index, path in enumerate(paths):
        std = accumulator.std_map(index, runs).numpy()
        write_png(output_dir / "uncertainty" / f"{path.stem}.png",
                  np.clip(np.round(std * UNCERTAINTY_SCALE), 0, 255).astype(np.uint8))

    result: dict[str, Any] = {
        "runs": runs, "steps": settings.steps, "decoder": settings.decoder, "mirror": settings.mirror,
        "seeds": list(range(runs)), "num_images": len(paths),
        "dataset_level": {"lpips": _mean(lpips_runs), "lpips_unavailable": lpips_reason},
        "instance_level": {**accumulator.instance_level(), "skipped_pairs": accumulator.skipped},
        "uncertainty_png_scale": f"pixel value = pixel-wise std of the probability over runs x {UNCERTAINTY_SCALE}",
    }
    if targets is not None:
        dataset_dice = dice_runs.mean(axis=1)
        result["dataset_level"].update(dice_mean=float(dataset_dice.mean()), dice_std=float(dataset_dice.std()),
                                       dice_per_run=[float(d) for d in dataset_dice])
        result["instance_level"]["dice_std_per_image_mean"] = float(dice_runs.std(axis=0).mean())
    write_json(output_dir / "stability.json", result)
    return result


def _read_targets(paths: list[Path], masks: dict[str, Path]) -> list[np.ndarray]:
    missing = [p.name for p in paths if p.stem not in masks]
    if missing:
        raise DataError(f"no ground-truth mask for {len(missing)} image(s), e.g. {missing[0]}; "
                        "pass the mask folder with --ground-truth or drop it for a Dice-free run")
    return [read_mask(masks[p.stem]) for p in paths]
