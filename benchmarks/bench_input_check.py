"""Time of the check ``sdseg predict`` runs on every input before the first batch, against prediction.

Writes ``--count`` small images (bright discs on noise, PNG or JPEG) into a temporary folder,
times ``check_images`` on all of them (headers and end markers, no decoding), then times
``predict_files`` with an untrained ``tiny`` model, single step, on the first
``--predict-count`` of them (speed does not depend on the weights), and reports both per image.

    python benchmarks/bench_input_check.py --count 10000 --json docs/results/performance_cpu/bench_input_check.json
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from sdseg.config import load_preset
from sdseg.data.image_io import list_images
from sdseg.data.input_check import check_images
from sdseg.inference.engine import InferenceSettings
from sdseg.inference.predictor import predict_files
from sdseg.models import SDSegModel, build_autoencoder


def write_images(folder: Path, count: int, size: int, suffix: str) -> None:
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[:size, :size]
    for i in range(count):
        cy, cx = rng.integers(size // 4, 3 * size // 4, 2)
        disc = (yy - cy) ** 2 + (xx - cx) ** 2 < (size // 6) ** 2
        image = 90 + 100 * disc[..., None] + rng.normal(0, 12, (size, size, 3))
        Image.fromarray(image.clip(0, 255).astype(np.uint8)).save(folder / f"frame{i:06d}{suffix}")


def time_check(folder: Path) -> tuple[int, float]:
    started = time.perf_counter()
    paths = list_images(folder)
    check_images(paths)
    return len(paths), time.perf_counter() - started


def time_prediction(paths: list[Path], output: Path) -> float:
    preset = load_preset("tiny")
    torch.manual_seed(0)
    model = SDSegModel.from_preset(preset, build_autoencoder(preset.autoencoder, preset.image_size)).eval()
    started = time.perf_counter()
    predict_files(model, paths, output, InferenceSettings(batch_size=1), write_overlays=False)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--size", type=int, default=128, help="image side in pixels")
    parser.add_argument("--format", choices=("png", "jpg"), default="png")
    parser.add_argument("--predict-count", type=int, default=200, help="images to time prediction on")
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--json", default=None, help="write the result here")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "images"
        folder.mkdir()
        write_images(folder, args.count, args.size, f".{args.format}")
        count, check_seconds = time_check(folder)
        predict_seconds = time_prediction(list_images(folder)[: args.predict_count], Path(tmp) / "masks")
    check_per_image = check_seconds / count
    predict_per_image = predict_seconds / args.predict_count
    result = {
        "images": count, "size": args.size, "format": args.format, "threads": args.threads,
        "check_seconds": round(check_seconds, 2), "check_ms_per_image": round(check_per_image * 1000, 3),
        "predict_images_timed": args.predict_count, "predict_ms_per_image_tiny_1_step": round(predict_per_image * 1000, 1),
        "check_fraction_of_prediction": round(check_per_image / predict_per_image, 4),
    }
    print(json.dumps(result, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
