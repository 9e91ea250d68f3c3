"""Peak memory of ``sdseg predict`` on a large CT volume (default 512×512×300, int16).

Writes a synthetic volume as NIfTI into a temporary folder, predicts it with an untrained
4-class ``tiny`` model (the memory of slice streaming does not depend on the weights), and
reports the peak resident memory of the predicting process (a fresh child, so writing the
test volume does not count) against the size of the volume.

    python benchmarks/bench_volume_memory.py --shape 300,512,512 --batch-size 16
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import SimpleITK as sitk
import torch

from sdseg.config import load_preset
from sdseg.data.label_scheme import LabelScheme
from sdseg.data.nnunet_dataset import VolumeCase
from sdseg.inference.engine import InferenceSettings
from sdseg.inference.volume_predictor import predict_volumes
from sdseg.models import SDSegModel, build_autoencoder


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def write_ct(path: Path, shape: tuple[int, int, int]) -> None:
    rng = np.random.default_rng(0)
    volume = rng.integers(-1000, 1500, size=shape, dtype=np.int16)
    image = sitk.GetImageFromArray(volume)
    image.SetSpacing((0.8, 0.8, 2.5))
    sitk.WriteImage(image, str(path))


def predict_in_this_process(path: Path, out: Path, classes: int, batch_size: int) -> dict:
    """Build the model, note the peak so far, predict, and report the growth of the peak."""
    preset = load_preset("tiny")
    torch.manual_seed(0)
    model = SDSegModel.from_preset(preset, build_autoencoder(preset.autoencoder, preset.image_size),
                                   labels=LabelScheme.plain(classes), in_channels=1, normalization=["ct_abdomen"]).eval()
    before = peak_rss_mib()
    started = time.perf_counter()
    stats = predict_volumes(model, [VolumeCase("big", [path], None)], out,
                            settings=InferenceSettings(batch_size=batch_size))
    seconds = time.perf_counter() - started
    return {"peak_rss_before_predict_mib": round(before, 1), "peak_rss_mib": round(peak_rss_mib(), 1),
            "seconds": round(seconds, 1), "slices_per_second": stats["slices_per_second"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shape", default="300,512,512", help="z,y,x")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--classes", type=int, default=4)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--predict-only", type=Path, default=None, help=argparse.SUPPRESS)  # the child's job
    args = parser.parse_args()
    if args.predict_only:
        print(json.dumps(predict_in_this_process(args.predict_only, args.predict_only.parent / "out", args.classes,
                                                 args.batch_size)))
        return
    shape = tuple(int(s) for s in args.shape.split(","))
    voxels_mib = np.prod(shape) * 4 / 2**20  # the volume as float32
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big_0000.nii.gz"
        write_ct(path, shape)
        # a fresh process, so that writing the test volume does not count towards the peak
        child = subprocess.run([sys.executable, __file__, "--predict-only", str(path), "--classes", str(args.classes),
                                "--batch-size", str(args.batch_size)], capture_output=True, text=True, check=True)
        measured = json.loads(child.stdout.strip().splitlines()[-1])
        written = sitk.ReadImage(str(Path(tmp) / "out" / "big.nii.gz"))
        assert written.GetSize() == shape[::-1] and np.allclose(written.GetSpacing(), (0.8, 0.8, 2.5))
    growth = measured["peak_rss_mib"] - measured["peak_rss_before_predict_mib"]
    result = {"shape_zyx": shape, "classes": args.classes, "batch_size": args.batch_size,
              "volume_float32_mib": round(float(voxels_mib), 1), **measured,
              "growth_over_volume": round(growth / voxels_mib, 2)}
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
