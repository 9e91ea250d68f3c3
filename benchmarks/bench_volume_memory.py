"""Peak memory of ``sdseg predict`` on a large CT volume (default 512×512×300, int16).

Writes a synthetic volume as NIfTI into a temporary folder, predicts it with an untrained
4-class ``tiny`` model (the memory of slice streaming does not depend on the weights), and
reports the process's peak resident memory against the size of the volume. Run it in a
fresh process: peak RSS covers the whole process life.

    python benchmarks/bench_volume_memory.py --shape 300,512,512 --batch-size 16
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import SimpleITK as sitk
import torch

from sdseg.config import load_preset
from sdseg.data.nnunet_dataset import VolumeCase
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shape", default="300,512,512", help="z,y,x")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--classes", type=int, default=4)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    shape = tuple(int(s) for s in args.shape.split(","))
    voxels_mib = np.prod(shape) * 4 / 2**20  # the volume as float32
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        write_ct(tmp / "big_0000.nii.gz", shape)
        preset = load_preset("tiny")
        torch.manual_seed(0)
        model = SDSegModel.from_preset(preset, build_autoencoder(preset.autoencoder, preset.image_size),
                                       num_classes=args.classes, in_channels=1, normalization=["ct_abdomen"]).eval()
        before = peak_rss_mib()
        started = time.perf_counter()
        stats = predict_volumes(model, [VolumeCase("big", [tmp / "big_0000.nii.gz"], None)], tmp / "out",
                                batch_size=args.batch_size)
        seconds = time.perf_counter() - started
        written = sitk.ReadImage(str(tmp / "out" / "big.nii.gz"))
        assert written.GetSize() == shape[::-1] and np.allclose(written.GetSpacing(), (0.8, 0.8, 2.5))
    peak = peak_rss_mib()
    result = {"shape_zyx": shape, "classes": args.classes, "batch_size": args.batch_size,
              "volume_float32_mib": round(float(voxels_mib), 1), "peak_rss_before_predict_mib": round(before, 1),
              "peak_rss_mib": round(peak, 1), "growth_over_volume": round((peak - before) / voxels_mib, 2),
              "seconds": round(seconds, 1), "slices_per_second": stats["slices_per_second"]}
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
