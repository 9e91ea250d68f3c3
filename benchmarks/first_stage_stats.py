"""How deterministic is a first stage's mask latent? Posterior std against the spread of the posterior means.

SDSeg trains on z0 sampled from the posterior (training.mask_latent=sample). Two first stages with the same
round-trip Dice can differ here, and SDSeg learned much slower on the one whose samples were nearly its means
(docs/RESULTS.md, eleventh round). Reads every 10th of the first 320 training masks at the model's size:

    python benchmarks/first_stage_stats.py runs/pg20/ae/best runs/pg21/ae/best --data ../shared/data/polypgen --size 128
"""

from __future__ import annotations

import argparse
import json

import torch

from sdseg.data.folder_dataset import SegmentationFolder
from sdseg.models.first_stage import load_autoencoder, mask_to_ae_input


@torch.no_grad()
def latent_stats(path: str, masks: torch.Tensor) -> dict:
    posterior = load_autoencoder(path).eval().encode(mask_to_ae_input(masks)).latent_dist
    spread, noise = posterior.mean.std().item(), posterior.std.mean().item()
    return {"first_stage": path, "std_of_means": round(spread, 4), "mean_posterior_std": round(noise, 4),
            "noise_to_spread": round(noise / spread, 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("first_stages", nargs="+")
    parser.add_argument("--data", required=True)
    parser.add_argument("--size", type=int, required=True, help="the first stage's image size")
    args = parser.parse_args()
    dataset = SegmentationFolder(args.data, "train", args.size)
    masks = torch.stack([dataset[i]["mask"] for i in range(0, min(320, len(dataset)), 10)])
    print(json.dumps([latent_stats(path, masks) for path in args.first_stages], indent=2))


if __name__ == "__main__":
    main()
