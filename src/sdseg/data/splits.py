"""Which cases a command reads: train/val/test, and nnU-Net-style cross-validation folds.

A dataset folder's ``splits.json`` (``{"train": [...], "val": [...], "test": [...]}``) fixes its split;
without one a seeded split is made, so runs are reproducible. ``--fold K`` then re-divides the train
and val cases (never the test cases) into folds, as nnU-Net's ``nnUNetv2_train DATASET CONFIG FOLD``
does: fold K is read from ``splits_final.json`` beside the data (nnU-Net's own file: a list of
``{"train": [...], "val": [...]}``), else made from the seed, one in five cases (or one in N, for
fewer than five) to each fold's val.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import DataError

SPLITS = ("train", "val", "test")
SPLITS_FILE = "splits.json"
FOLDS_FILE = "splits_final.json"
MAX_FOLDS = 5  # nnU-Net's default


@dataclass(frozen=True)
class Partition:
    """How a dataset's cases are divided: ``seed`` draws a split where no file fixes it, and ``fold``
    (None: no cross-validation) picks one fold of the train and val cases together."""

    seed: int = 0
    fold: int | None = None

    def divide(self, root: str | Path, base: dict[str, list[str]]) -> dict[str, list[str]]:
        """``base`` (the dataset's train/val/test), with train and val replaced by this fold's when one is set."""
        if self.fold is None:
            return base
        pool = sorted(base["train"] + base["val"])
        path = Path(root) / FOLDS_FILE
        folds = read_folds(path, pool) if path.is_file() else make_folds(pool, self.seed, where=root)
        if not 0 <= self.fold < len(folds):
            source = path if path.is_file() else f"{root} ({len(pool)} train+val cases, seed {self.seed})"
            raise DataError(f"{source}: there are {len(folds)} folds (0 to {len(folds) - 1}); fold {self.fold} "
                            "does not exist")
        return {**base, **folds[self.fold]}


def make_folds(names: list[str], seed: int, where: str | Path = "dataset") -> list[dict[str, list[str]]]:
    """Seeded K-fold over ``names`` (K = min(5, cases)): each case is in exactly one fold's val."""
    if len(names) < 2:
        raise DataError(f"{where}: cross-validation needs at least 2 train+val cases, found {len(names)}")
    count = min(MAX_FOLDS, len(names))
    shuffled = [sorted(names)[i] for i in np.random.default_rng(seed).permutation(len(names))]
    folds = []
    for fold in range(count):
        val = set(shuffled[fold::count])
        folds.append({"train": sorted(set(names) - val), "val": sorted(val)})
    return folds


def read_folds(path: Path, names: list[str]) -> list[dict[str, list[str]]]:
    """nnU-Net's ``splits_final.json``, checked: every fold has train and val, disjoint, of known cases."""
    try:
        folds = json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(folds, list) or not folds:
        raise DataError(f"{path}: must be a list of folds, each {{\"train\": [...], \"val\": [...]}}")
    known = set(names)
    for index, fold in enumerate(folds):
        if not isinstance(fold, dict) or not fold.get("train") or not fold.get("val"):
            raise DataError(f"{path}: fold {index} needs non-empty \"train\" and \"val\" lists")
        unknown = sorted(set(fold["train"] + fold["val"]) - known)
        if unknown:
            raise DataError(f"{path}: fold {index} names cases that are not train/val cases of this dataset: "
                            f"{unknown[:3]}")
        both = sorted(set(fold["train"]) & set(fold["val"]))
        if both:
            raise DataError(f"{path}: fold {index} has cases in both train and val: {both[:3]}")
    return [{"train": sorted(fold["train"]), "val": sorted(fold["val"])} for fold in folds]


def load_splits(root: str | Path, names: list[str], partition: Partition = Partition()) -> dict[str, list[str]]:
    """A 2D dataset folder's train/val/test: ``splits.json`` (checking every name exists) or a seeded
    80/10/10 split, then ``partition``'s fold of train+val."""
    path = Path(root) / SPLITS_FILE
    if path.is_file():
        try:
            splits = json.loads(path.read_text())
        except json.JSONDecodeError as exc:
            raise DataError(f"{path}: not valid JSON ({exc})") from exc
        known = set(names)
        for split in SPLITS:
            unknown = [n for n in splits.get(split, []) if n not in known]
            if unknown:
                raise DataError(f"{path}: split {split!r} names cases with no image/mask pair: {unknown[:3]}")
        base = {split: list(splits.get(split, [])) for split in SPLITS}
    else:
        order = np.random.default_rng(partition.seed).permutation(len(names))
        shuffled = [sorted(names)[i] for i in order]
        n_val = n_test = max(1, len(names) // 10) if len(names) >= 3 else 0
        base = {
            "train": sorted(shuffled[n_val + n_test:]),
            "val": sorted(shuffled[:n_val]),
            "test": sorted(shuffled[n_val:n_val + n_test]),
        }
    return partition.divide(root, base)
