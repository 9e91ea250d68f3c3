"""``sdseg demo``: the whole pipeline on generated data, with no download.

synthetic data -> first stage -> SDSeg -> single-step and DDIM-10 prediction of the
test split -> evaluation, all under one output folder, ending in ``metrics.json`` and an HTML
report of the single-step predictions: a new user's first result is a page to open.
"""

from __future__ import annotations

import time
from pathlib import Path

from ..config import load_preset
from ..data.splits import Partition
from ..data.synthetic import make_synthetic_dataset
from ..evaluation.evaluate import evaluate_folders
from ..inference.engine import InferenceSettings
from ..inference.predictor import predict_files
from ..io_utils import write_json
from ..models.sdseg import SDSegModel
from ..report.build import write_report
from ..training.autoencoder import train_autoencoder
from ..training.sdseg_trainer import train_sdseg
from .paths import input_images


def run_demo(output: Path, num_images: int, config: str, overrides: list[str], seed: int) -> dict:
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        timings[name] = round(time.perf_counter() - clock, 1)
        clock = time.perf_counter()

    preset = load_preset(config, overrides)
    data = make_synthetic_dataset(output / "data", num_images=num_images, seed=seed)
    lap("generate_data")
    autoencoder = train_autoencoder(preset, data, output / "autoencoder", seed)
    lap("train_autoencoder")
    sdseg = train_sdseg(preset, data, output / "autoencoder" / "best", output / "sdseg", seed)
    lap("train_sdseg")

    model = SDSegModel.from_pretrained(output / "sdseg" / "best")
    test_images = input_images([str(data)], "test", Partition(seed))
    test_cases = [path.stem for path in test_images]
    results = {}
    for steps in (1, 10):
        folder = output / ("predictions" if steps == 1 else f"predictions_ddim{steps}")
        speed = predict_files(model, test_images, folder, InferenceSettings.of_model(model, steps=steps, seed=seed),
                              write_overlays=steps == 1)
        summary = evaluate_folders(folder, data / "masks", cases=test_cases)
        results[f"{steps}_step" if steps == 1 else f"ddim_{steps}"] = {**summary["foreground_mean"], **speed}
        lap(f"predict_and_evaluate_{steps}")

    report = write_report(output / "predictions", {path.stem: path for path in test_images}, output / "report",
                          data=str(data), split="test", model=output / "sdseg" / "best")
    lap("report")

    metrics = {
        "preset": preset.name,
        "num_test_images": len(test_images),
        "test": results,
        "test_dice_single_step": results["1_step"]["dice"],
        "first_stage_val_mask_round_trip_dice": autoencoder["val_mask_round_trip_dice"],
        "best_val_dice_single_step": sdseg["best_val_dice_single_step"],
        "parameters": sdseg["parameters"],
        "seconds": timings,
    }
    write_json(output / "metrics.json", metrics)
    print(f"\nsdseg demo finished in {sum(timings.values()):.0f} s — outputs in {output}/")
    for name, values in results.items():
        print(f"  test {name:<8} Dice {values['dice']:.4f}  IoU {values['iou']:.4f}  "
              f"{values['images_per_second']:.1f} images/s")
    print(f"  first stage mask round-trip Dice (val) {autoencoder['val_mask_round_trip_dice']:.4f}")
    print(f"  overlays: {output / 'predictions' / 'overlays'}   metrics: {output / 'metrics.json'}")
    print(f"  report: {report.resolve().as_uri()}")
    return metrics
