"""Can a binary model tell, per image, whether there is anything to segment at all? A false alarm on an image
without foreground scores 0 where an empty prediction scores 1, and on PolypGen those false alarms are
polyp-sized (round 25), so an area rule cannot clear them; the model's own confidence might.

For each image of val and test (at the original size, as ``sdseg evaluate`` scores) it keeps the Dice at 0.5
and a few per-image cues from the soft mask: ``peak`` (its maximum), ``confidence`` (its mean where it is
above 0.5), ``soft_area`` (its mean) and ``area`` (the fraction above 0.5; round 25's minimum-area rule).
With ``--flip`` it predicts the left-right mirrored image too and adds ``flip_agreement``, the Dice between
the two masks (a cue that costs a second pass). A rule "the image counts as empty when CUE < t" is then
chosen on val -- the cue and t with the highest mean val Dice, or no rule when none raises it -- and applied
to test unchanged.

    python benchmarks/presence.py runs/pg51/ref_seed13/best --data ../shared/data/polypgen --flip -o presence.json
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
from sdseg.inference.predictor import iter_probabilities, stream_soft_masks
from sdseg.models import SDSegModel

SINGLE_PASS_CUES = ("peak", "confidence", "soft_area", "area")


def cues(probability: np.ndarray) -> dict:
    """The single-pass cues of one soft mask (H, W)."""
    above = probability > 0.5
    return {"peak": float(probability.max()), "confidence": float(probability[above].mean()) if above.any() else 0.0,
            "soft_area": float(probability.mean()), "area": float(above.mean())}


@torch.no_grad()
def per_image(model: SDSegModel, paths: list[Path], masks: list[Path], flip: bool, batch_size: int) -> list[dict]:
    """One row per image: its reference's foreground fraction, Dice at 0.5 and cues (seeded as ``predict``)."""
    settings = InferenceSettings.of_model(model, batch_size=batch_size)

    def flipped(image, indices):
        return model.predict_proba(image.flip(-1), [settings.seed + i for i in indices], 1).flip(-1)

    rows = []
    streams = [iter_probabilities(model, paths, settings, "plain")]
    if flip:
        streams.append(stream_soft_masks(flipped, paths, model.config.image_size, settings, "flipped"))
    for outputs in zip(*streams):
        i, probability = outputs[0][0], outputs[0][1][0].numpy()
        reference = read_mask(masks[i]) > 0
        row = {"case": paths[i].stem, "foreground_fraction": round(float(reference.mean()), 5),
               "dice": dice(probability > 0.5, reference), **cues(probability)}
        if flip:
            row["flip_agreement"] = dice(probability > 0.5, outputs[1][1][0].numpy() > 0.5)
        rows.append({k: round(v, 5) if isinstance(v, float) else v for k, v in row.items()})
    return rows


def dice_with_rule(rows: list[dict], cue: str | None, threshold: float) -> float:
    """Mean Dice when images with ``cue < threshold`` are predicted empty (1 if their reference is, else 0)."""
    scores = [(1.0 if r["foreground_fraction"] == 0 else 0.0) if cue and r[cue] < threshold else r["dice"]
              for r in rows]
    return float(np.mean(scores))


def choose(rows: list[dict], cue_names: tuple[str, ...]) -> dict:
    """The cue and threshold with the highest mean Dice on ``rows`` (val); no rule unless one raises it.
    A threshold sits halfway between two neighbouring observed values, so it does not hinge on one image."""
    best = {"cue": None, "threshold": None, "dice": dice_with_rule(rows, None, 0.0)}
    for cue in cue_names:
        values = sorted({r[cue] for r in rows})
        for low, high in zip(values, values[1:]):
            threshold = (low + high) / 2
            score = dice_with_rule(rows, cue, threshold)
            if score > best["dice"] + 1e-9:
                best = {"cue": cue, "threshold": round(threshold, 5), "dice": score}
    return best


def outcome(rows: list[dict], rule: dict) -> dict:
    """Mean Dice without and with the rule, and what it changed: false alarms cleared, detections lost."""
    cleared = lost = 0
    if rule["cue"]:
        emptied = [r for r in rows if r[rule["cue"]] < rule["threshold"]]
        cleared = sum(r["foreground_fraction"] == 0 and r["dice"] == 0 for r in emptied)
        lost = sum(r["foreground_fraction"] > 0 and r["dice"] > 0 for r in emptied)
    return {"dice_without": round(dice_with_rule(rows, None, 0.0), 4),
            "dice_with": round(dice_with_rule(rows, rule["cue"], rule["threshold"] or 0.0), 4),
            "false_alarms": sum(r["foreground_fraction"] == 0 and r["dice"] == 0 for r in rows),
            "false_alarms_cleared": cleared, "detections_lost": lost}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("model", type=Path, help="a binary model folder (e.g. a run's best/)")
    parser.add_argument("--data", required=True, help="a dataset folder (images/, masks/, splits)")
    parser.add_argument("--flip", action="store_true", help="also the flip-agreement cue (a second pass)")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    model = SDSegModel.from_pretrained(args.model)
    if model.config.num_classes != 1:
        raise SystemExit(f"{args.model}: a binary model is needed (it has {model.config.num_classes} classes)")
    cases = discover_cases(args.data)
    splits = load_splits(args.data, list(cases))
    rows = {split: per_image(model, [cases[n].image for n in splits[split]], [cases[n].mask for n in splits[split]],
                             args.flip, args.batch_size) for split in ("val", "test")}
    result = {"model": str(args.model), "data": args.data}
    for label, names in (("single_pass", SINGLE_PASS_CUES), ("with_flip", SINGLE_PASS_CUES + ("flip_agreement",))):
        if label == "with_flip" and not args.flip:
            continue
        rule = choose(rows["val"], names)
        result[label] = {"rule": {"cue": rule["cue"], "threshold": rule["threshold"]},
                         "val": outcome(rows["val"], rule), "test": outcome(rows["test"], rule)}
    print(json.dumps(result, indent=2))
    args.output.write_text(json.dumps({**result, "per_image": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
