"""Re-encode a folder's JPEGs losslessly (mozjpeg's optimised Huffman tables and progressive scans) so that a dataset
copied for the GPU call leaves room under the device tool's 64 MiB: the decoded pixels stay exactly the same, which is
checked for every file (a file that would change, or not shrink, is left as it was).

    python benchmarks/shrink_jpegs.py gpu_carry/polypgen/images
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import mozjpeg_lossless_optimization
import numpy as np
from PIL import Image

from sdseg.io_utils import atomic_path


def pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def shrink(path: Path) -> int:
    """Bytes saved on one file; 0 where the optimised stream would be larger or decode differently."""
    original = path.read_bytes()
    optimised = mozjpeg_lossless_optimization.optimize(original)
    if len(optimised) >= len(original) or not np.array_equal(pixels(original), pixels(optimised)):
        return 0
    with atomic_path(path) as partial:
        partial.write_bytes(optimised)
    return len(original) - len(optimised)


def main() -> None:
    folder = Path(sys.argv[1])
    files = sorted(folder.glob("*.jpg")) + sorted(folder.glob("*.jpeg"))
    if not files:
        raise SystemExit(f"{folder}: no .jpg files to shrink")
    saved = sum(shrink(path) for path in files)
    print(f"{folder}: {len(files)} JPEGs, {saved / 1048576:.2f} MiB saved, pixels unchanged")


if __name__ == "__main__":
    main()
