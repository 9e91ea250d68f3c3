"""Several trained models as one predictor, as nnU-Net ensembles the models of its cross-validation folds.

Each member runs its own single step (or DDIM) from the same per-image noise; their soft masks are averaged
before thresholding. The members must agree on what they take and give -- input size, classes, channels,
normalisation -- which is checked when the ensemble is built, naming the folder that differs.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import torch

from ..data.label_scheme import LabelScheme
from ..errors import CheckpointError
from ..models.sdseg import SDSegModel


def interface(model: SDSegModel) -> dict:
    """What a caller of ``predict_proba`` relies on: the same for every member of an ensemble."""
    config = model.config
    return {"image_size": config.image_size, "num_classes": config.num_classes, "regions": config.regions,
            "regions_class_order": config.regions_class_order,
            "in_channels": model.denoiser.vision_encoder.config.in_channels, "normalization": config.normalization}


class ModelEnsemble:
    """``predict_proba`` and ``config`` of an ``SDSegModel``, averaged over ``members`` (loaded from ``folders``)."""

    def __init__(self, members: list[SDSegModel], folders: list[Path]):
        if len(members) < 2:
            raise ValueError("an ensemble needs at least two models")
        expected = interface(members[0])
        for model, folder in zip(members[1:], folders[1:]):
            found = interface(model)
            if found != expected:
                differ = ", ".join(f"{key} {found[key]} against {expected[key]}" for key in expected
                                   if found[key] != expected[key])
                raise CheckpointError(f"{folder}: cannot be ensembled with {folders[0]} ({differ}); ensemble models "
                                      "trained on the same dataset with the same preset, e.g. its folds")
        self.members = members

    @property
    def config(self):
        return self.members[0].config

    @property
    def label_scheme(self) -> LabelScheme:
        return self.members[0].label_scheme

    def parameters(self) -> Iterator[torch.nn.Parameter]:
        """Every member's, as a module's: where the ensemble runs is where its members' weights are."""
        return itertools.chain.from_iterable(model.parameters() for model in self.members)

    def predict_proba(
        self, image: torch.Tensor, seeds: list[int], steps: int = 1, decoder: str = "full"
    ) -> torch.Tensor:
        """The members' soft masks (B, K, H, W) for the same noise, averaged."""
        return sum(model.predict_proba(image, seeds, steps, decoder) for model in self.members) / len(self.members)
