"""Write a dataset's seeded cross-validation folds to its ``splits_final.json`` (nnU-Net's file), so they stay put.

``sdseg train --seed S --fold K`` draws the folds from S where no ``splits_final.json`` fixes them, so a second
training seed would also be a second split, and a fold's first stage (trained on that fold's cases at seed 0) would
have seen its new held-out case. Pinning seed 0's folds in a dataset view lets a training seed vary alone:

    python benchmarks/pin_folds.py runs/Dataset001_BraTS6_regions_pinned            # seed 0's folds
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sdseg.data.nnunet_dataset import load_nnunet_dataset
from sdseg.data.splits import FOLDS_FILE, SPLITS_FILE, make_folds
from sdseg.io_utils import write_json


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="an nnU-Net layout dataset folder without a splits.json")
    parser.add_argument("--seed", type=int, default=0, help="the seed whose folds to pin (sdseg's default 0)")
    args = parser.parse_args()
    if (args.data / SPLITS_FILE).is_file():  # its train+val, not every training case, would be the folds' pool
        parser.error(f"{args.data / SPLITS_FILE} exists: pin folds only where the training cases are the pool")
    dataset = load_nnunet_dataset(args.data)
    folds = make_folds(sorted(case.name for case in dataset.training), args.seed, where=args.data)
    write_json(args.data / FOLDS_FILE, folds)
    print(f"{args.data / FOLDS_FILE}: {len(folds)} folds, val {[fold['val'] for fold in folds]}")


if __name__ == "__main__":
    main()
