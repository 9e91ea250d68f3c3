"""Where a multi-class volume model loses each class: the model's input size, the first stage, SDSeg, or the rule
that combines the classes.

On BraTS the whole tumour scores about 0.7 and two of the four sub-regions near 0 (docs/RESULTS.md, BraTS6). For
each fold's model and held-out case, slice by slice, volumetric Dice per class against the label at its own size
(as ``sdseg evaluate`` scores it) of:
- ``resized``: the label taken to the model's size (nearest, as training does) and back (bilinear on the one-hot,
  as prediction does): what the input size leaves;
- ``first_stage``: the same with each class's mask encoded (posterior mode) and decoded by the model's first stage;
- ``sdseg``: the model's single step (noise seed + z, as ``sdseg predict``).
Each with the classes combined as ``sdseg predict`` combines them (``LabelScheme.to_labels``: the most probable
class if above 0.5); under ``*_painted``, each class's mask above 0.5 painted over the others in order of the fold's
training voxels, the most common first (as nnU-Net paints regions in a declared order, so the small classes end on
top); and under ``*_each``, each class's own mask thresholded at 0.5 regardless of the others (not a label map).
``sdseg_voxels_above_half`` counts, for each true label value, its voxels where each class's own mask is above 0.5.
A model trained on nnU-Net regions is scored per region (a region's mask: every voxel with one of its labels), its
classes combined by painting the regions in dataset.json's order (``LabelScheme.to_labels``); ``*_painted`` is then
left out, being that rule itself:

    python benchmarks/class_ceiling.py ../shared/data/Dataset001_BraTS6 runs/brats6cv/fold{0,1,2,3}/sdseg/last > ceiling.json
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader

from sdseg.data.nnunet_dataset import load_nnunet_dataset
from sdseg.data.slice_dataset import load_case
from sdseg.data.splits import Partition
from sdseg.data.volume import read_label_volume
from sdseg.evaluation.metrics import dice
from sdseg.inference.volume_predictor import CaseSlices
from sdseg.models.first_stage import mask_round_trip
from sdseg.models.sdseg import SDSegModel

SOURCES = ("resized", "first_stage", "sdseg")


@torch.no_grad()
def class_probabilities(model: SDSegModel, image: torch.Tensor, label: torch.Tensor, seeds: list[int]) -> dict:
    """One batch of slices -> (B, K, S, S) per-class soft masks at the model's size, from each source."""
    size = model.config.image_size
    small = F.interpolate(label[:, None].float(), size=(size, size), mode="nearest")[:, 0]
    one_hot = model.label_scheme.planes(small.long()[:, None])[:, :, 0].float()
    round_trip = mask_round_trip(model.vae, one_hot.flatten(0, 1)[:, None]).view_as(one_hot)
    return {"resized": one_hot, "first_stage": round_trip, "sdseg": model.predict_proba(image, seeds)}


def painted(probability: torch.Tensor, order: list[int]) -> torch.Tensor:
    """(B, K, H, W) -> (B, H, W) labels: class k + 1 wherever its probability is above 0.5, in ``order`` (0-based
    class indices), later classes painted over earlier ones."""
    labels = torch.zeros(probability[:, 0].shape, dtype=torch.long)
    for k in order:
        labels[probability[:, k] > 0.5] = k + 1
    return labels


def training_order(dataset, labels: list[int], partition: Partition) -> list[int]:
    """0-based classes by decreasing voxel count in the fold's training label maps."""
    counts = sum(np.bincount(read_label_volume(case.label, labels).array.ravel(), minlength=len(labels))
                 for case in dataset.split("train", partition))
    return [int(k) - 1 for k in np.argsort(-counts[1:], kind="stable") + 1]


def scores(model: SDSegModel, case, labels: list[int], order: list[int], seed: int, batch_size: int = 32) -> dict:
    """Per source and rule, volumetric Dice per class (and whole foreground) of one case."""
    loaded = load_case(case, model.config.normalization, labels)
    label = torch.from_numpy(loaded.label.astype(np.int64))
    scheme = model.label_scheme
    rules = ("", "_painted") if not scheme.is_regions else ("",)
    combined = {name: np.zeros(label.shape, np.uint8) for name in SOURCES}
    painting = {name: np.zeros(label.shape, np.uint8) for name in SOURCES}
    each = {name: np.zeros((model.config.num_classes, *label.shape), bool) for name in SOURCES}
    for batch in DataLoader(CaseSlices(loaded, model.config.image_size), batch_size=batch_size):
        z = batch["z"]
        sources = class_probabilities(model, batch["image"], label[z], (seed + z).tolist())
        for name, probability in sources.items():
            back = F.interpolate(probability, size=label.shape[1:], mode="bilinear", align_corners=False)
            combined[name][z] = scheme.to_labels(back).numpy()
            if not scheme.is_regions:
                painting[name][z] = painted(back, order).numpy()
            each[name][:, z] = (back > 0.5).transpose(0, 1).numpy()
    truth = loaded.label
    regions = scheme.classes
    row = {}
    for name in SOURCES:
        for rule in rules:
            got = (combined if rule == "" else painting)[name]
            row[name + rule] = {str(k + 1): round(dice(np.isin(got, region), np.isin(truth, region)), 4)
                                for k, region in enumerate(regions)}
            row[name + rule]["foreground"] = round(dice(got > 0, truth > 0), 4)
        row[f"{name}_each"] = {str(k + 1): round(dice(each[name][k], np.isin(truth, region)), 4)
                               for k, region in enumerate(regions)}
    # which classes' own masks cover each true label: voxels of label value v (rows) where class j's is above 0.5
    row["sdseg_voxels_above_half"] = {str(v): {str(j + 1): int((each["sdseg"][j] & (truth == v)).sum())
                                               for j in range(len(regions))}
                                      for v in labels[1:]}
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", help="an nnU-Net dataset folder")
    parser.add_argument("models", nargs="+", help="fold K's SDSeg model folder, in fold order 0, 1, ...")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated folds and of the noise")
    args = parser.parse_args()
    dataset = load_nnunet_dataset(args.data)
    rows = []
    for fold, path in enumerate(args.models):
        model = SDSegModel.from_pretrained(path)
        partition = Partition(args.seed, fold)
        order = training_order(dataset, dataset.label_values, partition)
        for case in dataset.split("val", partition):
            rows.append({"fold": fold, "case": case.name, "painting_order": [k + 1 for k in order],
                         **scores(model, case, dataset.label_values, order, args.seed)})
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)  # progress; the whole result goes to stdout
    mean = {name: {key: round(float(np.mean([row[name][key] for row in rows])), 4) for key in rows[0][name]}
            for name in rows[0] if name in SOURCES or name.endswith(("_each", "_painted"))}
    for name, per_class in mean.items():
        per_class["class_mean"] = round(float(np.mean([v for k, v in per_class.items() if k.isdigit()])), 4)
    print(json.dumps({"cases": rows, "mean": mean}, indent=1))


if __name__ == "__main__":
    main()
