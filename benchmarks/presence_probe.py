"""Does a trained model's image latent know whether an image holds any foreground? A cheap probe before building an
image-level head into the model: a logistic regression on the latents of the training images, pooled over space,
fitted to "has foreground" (balanced, L2), read on val and test as the cue of ``presence.py``'s rule (the image
counts as empty when the probe's probability is under a threshold chosen on val).

Features, per image: the mean, max and std over space of each channel of the image latent c (``--features c``), or
of c and of the single-step latent estimate x̂0 (``c+x0``). Segmentation Dice per image comes from a
``presence.py`` output for the same model, so the two rules compare on the same masks.

    python benchmarks/presence_probe.py runs/pg51/ref_seed13/best --data ../shared/data/polypgen \
        --presence docs/results/polypgen_round63_presence/ref_seed13_presence.json -o probe.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch
from torch.utils.data import DataLoader
from tqdm.auto import tqdm

from presence import choose, outcome
from sdseg.data.folder_dataset import discover_cases
from sdseg.data.splits import load_splits
from sdseg.data.image_io import read_mask
from sdseg.inference.predictor import ImageFiles
from sdseg.models import SDSegModel


def pooled(latent: torch.Tensor) -> torch.Tensor:
    """(B, C, h, w) -> (B, 3C): each channel's mean, max and std over space."""
    flat = latent.flatten(2)
    return torch.cat([flat.mean(-1), flat.amax(-1), flat.std(-1)], dim=1)


@torch.no_grad()
def features(model: SDSegModel, paths: list[Path], which: str, batch_size: int = 16) -> torch.Tensor:
    """Pooled latents of these images, seeded as ``predict`` (input i uses noise seed i)."""
    rows = []
    images = ImageFiles(paths, model.config.image_size, list(range(len(paths))))
    for batch in tqdm(DataLoader(images, batch_size=batch_size), desc=which, unit="batch"):
        if any(batch["error"]):
            raise SystemExit(next(error for error in batch["error"] if error))
        c = model.denoiser.condition(batch["image"])
        parts = [pooled(c)]
        if which == "c+x0":
            parts.append(pooled(model.sample_latents(c, model.initial_noise(batch["index"].tolist()), 1)))
        rows.append(torch.cat(parts, dim=1))
    return torch.cat(rows)


def fit_logistic(x: torch.Tensor, y: torch.Tensor, l2: float) -> torch.nn.Linear:
    """Balanced logistic regression by L-BFGS on standardised features (the standardisation folded in)."""
    mean, std = x.mean(0), x.std(0).clamp_min(1e-6)
    z = (x - mean) / std
    linear = torch.nn.Linear(x.shape[1], 1)
    positive = y.mean()
    weight = torch.where(y > 0, 0.5 / positive, 0.5 / (1 - positive))
    optimizer = torch.optim.LBFGS(linear.parameters(), max_iter=500, line_search_fn="strong_wolfe")

    def closure():
        optimizer.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(linear(z)[:, 0], y, weight=weight)
        loss = loss + l2 * linear.weight.pow(2).sum()
        loss.backward()
        return loss

    optimizer.step(closure)
    with torch.no_grad():
        linear.weight /= std
        linear.bias -= (linear.weight * mean).sum()
    return linear


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", type=Path, help="a binary model folder (e.g. a run's best/)")
    parser.add_argument("--data", required=True)
    parser.add_argument("--presence", type=Path, required=True, help="presence.py's output for this model")
    parser.add_argument("--features", nargs="+", default=["c", "c+x0"], choices=("c", "c+x0"))
    parser.add_argument("--l2", type=float, default=1e-3)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    model = SDSegModel.from_pretrained(args.model)
    cases = discover_cases(args.data)
    splits = load_splits(args.data, list(cases))
    segmentation = json.loads(args.presence.read_text())["per_image"]
    for split in ("val", "test"):
        if [r["case"] for r in segmentation[split]] != [cases[n].image.stem for n in splits[split]]:
            raise SystemExit(f"{args.presence}: its {split} images are not this dataset's {split} split")
    labels = torch.tensor([float(read_mask(cases[n].mask).any()) for n in splits["train"]])
    result = {"model": str(args.model), "train_images": len(labels), "train_empty": int((labels == 0).sum()),
              "l2": args.l2}
    per_image = {}
    for which in args.features:
        probe = fit_logistic(features(model, [cases[n].image for n in splits["train"]], which), labels, args.l2)
        rows = {}
        for split in ("val", "test"):
            with torch.no_grad():
                p = torch.sigmoid(probe(features(model, [cases[n].image for n in splits[split]], which))[:, 0])
            rows[split] = [{**r, "probe": round(float(q), 5)} for r, q in zip(segmentation[split], p)]
        rule = choose(rows["val"], ("probe",))
        result[which] = {"rule": {"cue": rule["cue"], "threshold": rule["threshold"]},
                         "val": outcome(rows["val"], rule), "test": outcome(rows["test"], rule)}
        per_image[which] = {split: [{k: r[k] for k in ("case", "foreground_fraction", "dice", "probe")} for r in rs]
                            for split, rs in rows.items()}
    print(json.dumps(result, indent=2))
    args.output.write_text(json.dumps({**result, "per_image": per_image}, indent=2) + "\n")


if __name__ == "__main__":
    main()
