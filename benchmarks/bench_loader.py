"""How long the training process waits for each batch of a 2D dataset, with the device's work simulated by a sleep.

With ``num_workers`` 0 the main process decodes (first epoch) and converts every case itself, time a GPU step that is
bound by host work cannot spare; workers do it beside the step. The loader is training's own (``make_loader``).

    python benchmarks/bench_loader.py ../shared/data/polypgen --size 256 --workers 0 2 --step-ms 100 --json loader.json
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch

from sdseg.data.folder_dataset import SegmentationFolder
from sdseg.training.loop import make_loader


def waits(root: Path, size: int, batch: int, workers: int, step_ms: float, epochs: int) -> list[float]:
    """Mean milliseconds the main process waited per batch, epoch by epoch."""
    loader = make_loader(SegmentationFolder(root, "train", size), batch, workers)
    per_epoch = []
    for _ in range(epochs):
        waited, asked = [], time.perf_counter()
        for _ in loader:
            waited.append(time.perf_counter() - asked)
            time.sleep(step_ms / 1000)  # the device's step
            asked = time.perf_counter()
        per_epoch.append(round(1000 * sum(waited) / len(waited), 1))
    return per_epoch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path)
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--workers", type=int, nargs="+", default=[0, 2])
    parser.add_argument("--step-ms", type=float, default=100.0)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    torch.set_num_threads(1)
    result = {"data": str(args.data), "image_size": args.size, "batch_size": args.batch, "step_ms": args.step_ms,
              "torch": torch.__version__,
              "wait_ms_per_batch_by_epoch": {str(n): waits(args.data, args.size, args.batch, n, args.step_ms,
                                                           args.epochs) for n in args.workers}}
    print(json.dumps(result, indent=1))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
