"""Why does a run predict nothing? Compare the image latent c with the mask latent z0 on validation images.

A healthy vision encoder gives latents that vary from image to image as the masks' latents do; a
collapsed one gives the same c for every image, and then every prediction is the same. The
checkpoint's raw weights (not the EMA) are read, so this works on a run that is still training:

    python benchmarks/diagnose_run.py runs/pg10/sdseg --data ../shared/data/polypgen -o diag.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch
from safetensors.torch import load_file

from sdseg.config import load_preset
from sdseg.data.folder_dataset import SegmentationFolder
from sdseg.models import SDSegModel


@torch.no_grad()
def diagnose(run: Path, data: str, images: int) -> dict:
    preset = load_preset(run / "preset.json")
    exported = SDSegModel.from_pretrained(run / "best")  # first stage and scale factor of the run
    model = SDSegModel.from_preset(preset, exported.vae)
    model.set_scale_factor(exported.config.scale_factor)
    model.denoiser.load_state_dict(load_file(run / "checkpoint" / "model.safetensors"))
    model.eval()
    val = SegmentationFolder(data, "val", preset.image_size)
    items = [val[i] for i in range(min(images, len(val)))]
    image, mask = torch.stack([x["image"] for x in items]), torch.stack([x["mask"] for x in items])
    z0 = model.encode_masks(mask, posterior_std=0.0)
    c = model.denoiser.condition(image)[:, : len(z0[0])]  # its mask latent channels
    probability = model.predict_proba(image, list(range(len(items))))
    return {
        "run": str(run),
        "images": len(items),
        "z0_std_across_images": float(z0.std(0).mean()),
        "c_std_across_images": float(c.std(0).mean()),
        "mean_abs_c_minus_z0": float((c - z0).abs().mean()),
        "ground_truth_foreground": float(mask.mean()),
        "predicted_foreground": float((probability > 0.5).float().mean()),
        "max_probability_per_image": [round(float(p), 3) for p in probability.flatten(1).max(1).values],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run", type=Path, help="a sdseg train run folder (preset.json, best/, checkpoint/)")
    parser.add_argument("--data", required=True)
    parser.add_argument("--images", type=int, default=16)
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args()
    report = diagnose(args.run, args.data, args.images)
    text = json.dumps(report, indent=2)
    print(text)
    if args.output:
        args.output.write_text(text + "\n")


if __name__ == "__main__":
    main()
