"""Time of ``sdseg report`` on a large scored prediction set.

Writes ``--count`` synthetic cases (bright discs on noise, ``--size``² PNG images and 0/1 masks; each
prediction is its mask shifted by a case-dependent amount, so Dice spreads over the set), scores them
with ``evaluate_folders`` (not timed), then times ``write_report`` on them.

    python benchmarks/bench_report.py --count 2000 --json docs/results/performance_cpu/bench_report.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from sdseg.evaluation.evaluate import evaluate_folders
from sdseg.report.build import write_report


def write_cases(root: Path, count: int, size: int) -> dict[str, Path]:
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[:size, :size]
    images = {}
    for folder in ("images", "masks", "pred"):
        (root / folder).mkdir()
    for i in range(count):
        cy, cx = rng.integers(size // 4, 3 * size // 4, 2)
        mask = (yy - cy) ** 2 + (xx - cx) ** 2 < (size // 6) ** 2
        image = 90 + 100 * mask[..., None] + rng.normal(0, 12, (size, size, 3))
        name = f"case{i:06d}"
        images[name] = root / "images" / f"{name}.png"
        Image.fromarray(image.clip(0, 255).astype(np.uint8)).save(images[name])
        Image.fromarray(mask.astype(np.uint8)).save(root / "masks" / f"{name}.png")
        shifted = np.roll(mask, int(rng.integers(0, size // 4)), axis=1)
        Image.fromarray(shifted.astype(np.uint8)).save(root / "pred" / f"{name}.png")
    return images


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--json", type=Path, default=None, help="also write the result here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        images = write_cases(root, args.count, args.size)
        evaluate_folders(root / "pred", root / "masks")
        started = time.perf_counter()
        index = write_report(root / "pred", images, root / "report", data="synthetic discs")
        seconds = time.perf_counter() - started
        files = sum(1 for p in (root / "report").rglob("*") if p.is_file())
        result = {
            "cases": args.count, "image": f"{args.size}x{args.size} PNG", "report_seconds": round(seconds, 2),
            "ms_per_case": round(1000 * seconds / args.count, 2), "files_written": files,
            "index_html_bytes": index.stat().st_size, "machine": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(), "load_average_1min_after": round(os.getloadavg()[0], 2),
        }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
