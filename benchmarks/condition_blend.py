"""Does the vision encoder's own mask estimate help the single step? ``cpu128`` trains the first channels of the
image latent c against z0 (the condition terms), so c decodes to a mask by itself, at no extra UNet cost. This
scores, per image of val and test at the original size (as ``sdseg evaluate`` does), the soft-mask blend
``(1 - w) * decode(x0) + w * decode(c)`` for w in WEIGHTS, thresholded at 0.5, for each model given.

The rule, fixed before any figure was read (docs/RESULTS.md, seventieth round): w* is the weight with the highest
val Dice averaged over the models; the blend is worth building into prediction only if that mean is at least 0.01
above w = 0's (the plain single step). Test is reported for every weight either way.

    python benchmarks/condition_blend.py runs/pg51/ref_seed12/best ... --data ../shared/data/polypgen -o blend.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import torch

from sdseg.data.folder_dataset import discover_cases
from sdseg.data.splits import load_splits
from sdseg.data.image_io import read_mask
from sdseg.evaluation.metrics import dice
from sdseg.inference.engine import InferenceSettings
from sdseg.inference.predictor import stream_soft_masks
from sdseg.models import SDSegModel

WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)
MIN_GAIN = 0.01


@torch.no_grad()
def per_image(model: SDSegModel, paths: list[Path], references: list[np.ndarray], batch_size: int) -> list[list[float]]:
    """Dice per image (rows) and weight (columns) against its reference mask, seeded as ``predict`` seeds the
    single step."""
    settings = InferenceSettings.of_model(model, batch_size=batch_size)

    def blends(image: torch.Tensor, indices: list[int]) -> torch.Tensor:
        c = model.denoiser.condition(image)
        x0 = model.sample_latents(c, model.initial_noise([settings.seed + i for i in indices]), 1)
        from_x0 = model.decode_probabilities(x0)
        from_c = model.decode_probabilities(c[:, : model.latent_channels])
        return torch.cat([(1 - w) * from_x0 + w * from_c for w in WEIGHTS], dim=1)

    rows = []
    for i, probability in stream_soft_masks(blends, paths, model.config.image_size, settings, "blends"):
        rows.append([round(dice(p.numpy() > 0.5, references[i]), 5) for p in probability])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", type=Path, nargs="+", help="binary model folders (e.g. runs' best/)")
    parser.add_argument("--data", required=True, help="a dataset folder (images/, masks/, splits)")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    cases = discover_cases(args.data)
    splits = load_splits(args.data, list(cases))
    references = {split: [read_mask(cases[n].mask) > 0 for n in splits[split]] for split in ("val", "test")}
    per_model = {}
    for folder in args.models:
        model = SDSegModel.from_pretrained(folder).eval()
        per_model[str(folder)] = {split: per_image(model, [cases[n].image for n in splits[split]], masks,
                                                   args.batch_size) for split, masks in references.items()}
    means = {split: {str(w): [round(float(np.mean([row[k] for row in rows[split]])), 4) for rows in per_model.values()]
                     for k, w in enumerate(WEIGHTS)} for split in ("val", "test")}
    over_models = {split: {w: round(float(np.mean(v)), 4) for w, v in means[split].items()} for split in means}
    chosen = max(over_models["val"], key=over_models["val"].get)
    gain = over_models["val"][chosen] - over_models["val"]["0.0"]
    result = {"models": list(per_model), "weights": WEIGHTS, "mean_dice_per_model": means,
              "mean_dice_over_models": over_models, "chosen_on_val": chosen, "val_gain": round(gain, 4),
              "adopted": gain >= MIN_GAIN}
    print(json.dumps(result, indent=2))
    args.output.write_text(json.dumps({**result, "per_image": per_model}, indent=2) + "\n")


if __name__ == "__main__":
    main()
