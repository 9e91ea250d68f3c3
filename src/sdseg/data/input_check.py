"""Check every input before the first batch: a bad file met at the end of a long job costs the whole job.

Only headers are read (plus a PNG's or JPEG's last bytes, and volumes' image information), so
checking 10,000 images takes seconds (docs/PERFORMANCE.md); every problem is listed at once,
so that one fix-and-rerun round is enough.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

from ..errors import DataError
from .image_io import check_image_file
from .nnunet_dataset import VolumeCase
from .slice_dataset import case_geometry

Item = TypeVar("Item")


def check_images(paths: list[Path]) -> None:
    """Every image's header is readable and no two share a name (outputs are named by stem)."""
    _raise_if_any([*_shared_names(paths), *_failures(check_image_file, paths)], len(paths), "images")


def check_volumes(cases: list[VolumeCase], channels: int) -> None:
    """Every case has ``channels`` readable 3D single-channel files on one voxel grid."""
    _raise_if_any(list(_failures(lambda case: case_geometry(case, channels), cases)), len(cases), "cases")


def _shared_names(paths: list[Path]) -> Iterator[str]:
    by_stem: dict[str, list[Path]] = defaultdict(list)
    for path in paths:
        by_stem[path.stem].append(path)
    for stem, group in by_stem.items():
        if len(group) > 1:
            yield f"{', '.join(map(str, group))}: share the name {stem!r}, and outputs are named by it; rename them"


def _failures(check: Callable[[Item], object], items: Iterable[Item]) -> Iterator[str]:
    for item in items:
        try:
            check(item)
        except DataError as exc:
            yield str(exc)


def _raise_if_any(problems: list[str], total: int, what: str) -> None:
    if problems:
        listing = "\n".join(f"  {problem}" for problem in problems)
        raise DataError(f"{len(problems)} problem(s) among the {total} input {what}, nothing was predicted; "
                        f"fix or remove these and run again:\n{listing}")
