"""The stability protocol's measures, on hand-made soft maps and a micro model."""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest
import torch
from PIL import Image

from sdseg.errors import DataError
from sdseg.evaluation import stability
from sdseg.evaluation.stability import UNCERTAINTY_SCALE, pair_similarity, run_stability
from sdseg.inference.engine import InferenceSettings


def soft_disc(size: int, radius: float, shift: float = 0.0) -> torch.Tensor:
    yy, xx = torch.meshgrid(torch.arange(size), torch.arange(size), indexing="ij")
    distance = ((yy - size / 2) ** 2 + (xx - size / 2 - shift) ** 2).sqrt()
    return torch.sigmoid(radius - distance)


def test_identical_maps_are_perfectly_similar_and_psnr_is_skipped() -> None:
    a = soft_disc(200, 40)
    scores = pair_similarity(a, a)
    assert scores["ssim"] == pytest.approx(1.0, abs=1e-4) and scores["ms_ssim"] == pytest.approx(1.0, abs=1e-4)
    assert scores["psnr"] is None  # infinite


def test_psnr_matches_its_definition_and_similarity_falls_with_shift() -> None:
    a, b, c = soft_disc(200, 40), soft_disc(200, 40, 3), soft_disc(200, 40, 12)
    mse = float(((a - b) ** 2).mean())
    assert pair_similarity(a, b)["psnr"] == pytest.approx(10 * math.log10(1 / mse), rel=1e-4)
    near, far = pair_similarity(a, b), pair_similarity(a, c)
    assert far["ssim"] < near["ssim"] < 1 and far["ms_ssim"] < near["ms_ssim"] < 1 and far["psnr"] < near["psnr"]


def test_ms_ssim_is_undefined_for_small_images() -> None:
    scores = pair_similarity(soft_disc(64, 10), soft_disc(64, 10, 2))
    assert scores["ms_ssim"] is None and 0 < scores["ssim"] < 1


def test_lpips_unavailable_is_reported_not_replaced(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "lpips", None)  # makes `import lpips` fail
    function, reason = stability.load_lpips()
    assert function is None and "lpips" in reason


def test_run_stability_bookkeeping(monkeypatch, tmp_path) -> None:
    size = 200
    base, shifted, empty = soft_disc(size, 40), soft_disc(size, 40, 6), torch.zeros(size, size)
    runs = [[base, base], [shifted, empty], [base, base]]  # image 1 is empty in run 1 -> pair skipped

    def fake_iter(model, paths, settings, desc=None):
        yield from ((i, m[None]) for i, m in enumerate(runs[settings.seed]))

    monkeypatch.setattr(stability, "iter_probabilities", fake_iter)
    paths = [tmp_path / "a.png", tmp_path / "b.png"]
    target = (base > 0.5).numpy().astype(np.uint8)
    for name in ("a", "b"):
        Image.fromarray(target * 255).save(tmp_path / f"{name}_mask.png")
    masks = {"a": tmp_path / "a_mask.png", "b": tmp_path / "b_mask.png"}

    result = run_stability(None, paths, tmp_path / "out", masks, runs=3, settings=InferenceSettings())

    dataset, instance = result["dataset_level"], result["instance_level"]
    shifted_dice = float(2 * ((shifted > 0.5) & (base > 0.5)).sum() / ((shifted > 0.5).sum() + (base > 0.5).sum()))
    assert dataset["dice_per_run"] == pytest.approx([1.0, (shifted_dice + 0.0) / 2, 1.0])
    assert dataset["dice_std"] > 0
    assert instance["skipped_pairs"]["empty_prediction"] == 1
    assert instance["skipped_pairs"]["infinite_psnr"] == 2  # run 2 equals run 0 for both images
    expected_ssim_a = np.mean([pair_similarity(base, shifted)["ssim"], pair_similarity(base, base)["ssim"]])
    assert instance["ssim"] == pytest.approx(np.mean([expected_ssim_a, 1.0]), abs=1e-4)
    assert instance["psnr_images"] == 1
    # Pixel-wise std over the three runs of image b: values base, 0, base -> std = base * sqrt(2)/3.
    written = np.asarray(Image.open(tmp_path / "out" / "uncertainty" / "b.png")).astype(float)
    expected = np.clip(np.round(base.double().numpy() * math.sqrt(2) / 3 * UNCERTAINTY_SCALE), 0, 255)
    assert np.abs(written - expected).max() <= 1
    assert (tmp_path / "out" / "stability.json").is_file()


def test_needs_two_runs_and_ground_truth_for_every_image(micro_model, tmp_path) -> None:
    with pytest.raises(DataError, match="at least 2 runs"):
        run_stability(micro_model, [tmp_path / "a.png"], tmp_path / "out", runs=1)
    with pytest.raises(DataError, match="a.png"):
        run_stability(micro_model, [tmp_path / "a.png"], tmp_path / "out", masks={}, runs=2)
