"""Where does a binary model's Dice go? Per image of one split of a dataset folder, at the image's original
size (as ``sdseg evaluate`` scores): the foreground fraction, the model's single-step Dice at several
thresholds, and the first stage's round-trip Dice (the mask resized to the model's size, encoded to its
posterior mode, decoded) -- the ceiling the diffusion part can reach.

Two questions it answers: is 0.5 the right threshold (a model that marks small structures faintly would
score higher lower down; choose on ``val``, report ``test``), and are the images the model misses ones the
first stage cannot represent, or ones the vision encoder and UNet do not find. A third: would nnU-Net's
post-processing, keeping only the largest connected component of the mask at 0.5, pay here. Dice of an
image whose mask and prediction are both empty is 1. Each image's predicted foreground fraction at 0.5 is kept,
so a rule on it (e.g. a prediction below a minimum area counts as empty) can be chosen on val offline.

    python benchmarks/misses.py runs/pg12/wide_final75/best --data ../shared/data/polypgen --split val -o misses.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch
from scipy import ndimage

from sdseg.data.folder_dataset import discover_cases, mask_to_tensor
from sdseg.data.splits import load_splits
from sdseg.data.image_io import read_mask
from sdseg.evaluation.metrics import dice
from sdseg.inference.engine import InferenceSettings
from sdseg.inference.predictor import iter_probabilities, to_original_size
from sdseg.models import SDSegModel

THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6)
MISS = 0.1  # Dice below this on an image with foreground counts as a miss


def largest_component(mask: np.ndarray) -> np.ndarray:
    """The mask's largest 4-connected component alone (an empty mask stays empty)."""
    labels, count = ndimage.label(mask)
    if count <= 1:
        return mask
    sizes = ndimage.sum_labels(mask, labels, range(1, count + 1))
    return labels == 1 + int(np.argmax(sizes))


@torch.no_grad()
def round_trip(model: SDSegModel, reference: np.ndarray) -> np.ndarray:
    """The mask through the first stage at the model's size and back to the original size, thresholded."""
    z0 = model.encode_masks(mask_to_tensor(reference, model.config.image_size)[None], posterior_std=0.0)
    return to_original_size(model.decode_probabilities(z0)[0], *reference.shape)[0].numpy() > 0.5


def misses(model_dir: Path, data: str, split: str, thresholds: tuple[float, ...], batch_size: int = 16) -> dict:
    model = SDSegModel.from_pretrained(model_dir)
    if model.config.num_classes != 1:
        raise SystemExit(f"{model_dir}: a binary model is needed (it has {model.config.num_classes} classes)")
    cases = discover_cases(data)
    names = load_splits(data, list(cases))[split]
    rows = []
    for i, probability in iter_probabilities(model, [cases[n].image for n in names],
                                             InferenceSettings.of_model(model, batch_size=batch_size)):
        reference, foreground = read_mask(cases[names[i]].mask), probability[0].numpy()
        rows.append({
            "case": names[i],
            "foreground_fraction": round(float(reference.mean()), 5),
            "predicted_fraction": round(float((foreground > 0.5).mean()), 5),
            "dice": {str(t): round(dice(foreground > t, reference > 0), 4) for t in thresholds},
            "round_trip_dice": round(dice(round_trip(model, reference), reference > 0), 4),
            "largest_component_dice": round(dice(largest_component(foreground > 0.5), reference > 0), 4),
        })
    with_foreground = [r for r in rows if r["foreground_fraction"] > 0]
    return {
        "model": str(model_dir), "data": data, "split": split, "images": len(rows),
        "images_with_foreground": len(with_foreground),
        "mean_dice": {str(t): round(float(np.mean([r["dice"][str(t)] for r in rows])), 4) for t in thresholds},
        "mean_round_trip_dice": round(float(np.mean([r["round_trip_dice"] for r in rows])), 4),
        "mean_largest_component_dice": round(float(np.mean([r["largest_component_dice"] for r in rows])), 4),
        f"misses_dice_below_{MISS}": {str(t): sum(r["dice"][str(t)] < MISS for r in with_foreground) for t in thresholds},
        f"round_trip_misses_dice_below_{MISS}": sum(r["round_trip_dice"] < MISS for r in with_foreground),
        "per_image": sorted(rows, key=lambda r: r["foreground_fraction"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", type=Path, help="a model folder (e.g. a run's best/)")
    parser.add_argument("--data", required=True, help="a dataset folder (images/, masks/, splits)")
    parser.add_argument("--split", default="val", choices=("train", "val", "test"))
    parser.add_argument("--thresholds", type=float, nargs="+", default=THRESHOLDS)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args()
    result = misses(args.model, args.data, args.split, tuple(args.thresholds), args.batch_size)
    print(json.dumps({k: v for k, v in result.items() if k != "per_image"}, indent=2))
    if args.output:
        args.output.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
