"""Whether keeping each class's largest connected component pays, judged on cross-validated held-out predictions.

nnU-Net's post-processing: after cross-validation, for each class (or region) it tries removing all but the largest
connected component of that class's mask and keeps the step where the pooled held-out Dice rises. This reads the
same on SDSeg's volumes: the label maps written by ``sdseg predict`` in one or more folders (each fold's held-out
cases), scored per class as ``sdseg evaluate`` scores them (the dataset.json's classes or regions), once as written
and once with each class's mask reduced to its largest 3D component (26-connected). Prints JSON: per case and
pooled, Dice as written and after, and the classes where the pooled Dice rises.

    python benchmarks/largest_component.py runs/Dataset001_BraTS6_regions runs/brats6cv_regions/fold?/val
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from scipy import ndimage

from sdseg.data.label_scheme import class_key
from sdseg.data.nnunet_dataset import load_nnunet_dataset
from sdseg.data.volume import read_volume
from sdseg.evaluation.metrics import dice


def largest_component(mask: np.ndarray) -> np.ndarray:
    """The mask's largest 26-connected component alone (an empty mask stays empty)."""
    components, count = ndimage.label(mask, structure=np.ones((3, 3, 3), bool))
    if count <= 1:
        return mask
    sizes = np.bincount(components.ravel())[1:]
    return components == 1 + int(np.argmax(sizes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", type=Path, help="the nnU-Net dataset (its dataset.json and labelsTr/)")
    parser.add_argument("predictions", type=Path, nargs="+", help="folders of predicted label maps")
    args = parser.parse_args()
    dataset = load_nnunet_dataset(args.dataset)
    labels = dataset.label_scheme.scored
    cases = []
    for folder in args.predictions:
        for path in sorted(folder.glob(f"*{dataset.file_ending}")):
            name = path.name[: -len(dataset.file_ending)]
            prediction = read_volume(path, dtype=np.int64).array
            truth = read_volume(dataset.case(name).label, dtype=np.int64).array
            row = {"case": name}
            for label in labels:
                predicted, reference = np.isin(prediction, label), np.isin(truth, label)
                row[class_key(label)] = {"as_written": round(dice(predicted, reference), 4),
                                         "largest_component": round(dice(largest_component(predicted), reference), 4)}
            cases.append(row)
    pooled = {class_key(label): {way: round(float(np.mean([case[class_key(label)][way] for case in cases])), 4)
                                 for way in ("as_written", "largest_component")} for label in labels}
    names = dataset.class_names
    print(json.dumps({
        "dataset": str(args.dataset), "predictions": [str(p) for p in args.predictions], "cases": cases,
        "pooled": {names[key]: value for key, value in pooled.items()},
        "rises_for": [names[key] for key, value in pooled.items() if value["largest_component"] > value["as_written"]],
    }, indent=1))


if __name__ == "__main__":
    main()
