"""Which label values each foreground class covers, and how per-class masks become one label map again.

SDSeg segments one binary mask per class. A class is one label value, or, as in nnU-Net's region-based training, a
region: a set of label values (BraTS: whole tumour, tumour core, enhancing tumour, each a union of the annotated
sub-regions). Regions overlap, so each is thresholded on its own (> 0.5) and they are painted into one label map in
order, region i with ``paint[i]`` (dataset.json's ``regions_class_order``), later regions over earlier ones, as
nnU-Net does. Plain classes take the most probable class above 0.5.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

Label = int | tuple[int, ...]  # a label value, or a region: the label values it covers


def class_key(label: Label) -> str:
    """A class's key in ``sdseg evaluate``'s summary.json: its label value ("1"), or a region as nnU-Net keys it
    ("(1, 2, 3)")."""
    return str(label)


@dataclass(frozen=True)
class LabelScheme:
    classes: tuple[tuple[int, ...], ...]  # per foreground class, the label values it covers
    paint: tuple[int, ...] | None = None  # regions only: the label value region i is painted with, in region order

    @classmethod
    def plain(cls, num_classes: int) -> "LabelScheme":
        """Labels 1..K, each its own class."""
        return cls(tuple((k,) for k in range(1, num_classes + 1)))

    @classmethod
    def from_config(cls, num_classes: int, regions: list[list[int]] | None,
                    paint: list[int] | None) -> "LabelScheme":
        """As saved in a model's config (``SDSegConfig.regions`` / ``regions_class_order``)."""
        if regions is None:
            return cls.plain(num_classes)
        return cls(tuple(tuple(region) for region in regions), tuple(paint))

    @property
    def num_classes(self) -> int:
        return len(self.classes)

    @property
    def is_regions(self) -> bool:
        return self.paint is not None

    @property
    def values(self) -> list[int]:
        """Every foreground label value the classes cover, in order."""
        return sorted({v for region in self.classes for v in region})

    @property
    def scored(self) -> tuple[Label, ...]:
        """What evaluation scores per class: each label value, or each region as a tuple of values."""
        return self.classes if self.is_regions else tuple(region[0] for region in self.classes)

    def summary_keys(self) -> list[str]:
        """Each class's key in ``sdseg evaluate``'s summary.json."""
        return [class_key(label) for label in self.scored]

    def value_names(self, names: list[str]) -> dict[int, str]:
        """Label value -> what a label map's pixel of that value means, given the classes' names in order: a plain
        class's name; for regions, the region painted with that value ("tumour core", as predictions paint it) or,
        for values only the annotation holds, "label 3"."""
        if not self.is_regions:
            return {region[0]: name for region, name in zip(self.classes, names)}
        painted = dict(zip(self.paint, names))
        return {v: painted.get(v, f"label {v}") for v in self.values}

    def config(self) -> dict:
        """The fields a model saves to rebuild this scheme: ``regions`` and ``regions_class_order``, or None."""
        if not self.is_regions:
            return {"regions": None, "regions_class_order": None}
        return {"regions": [list(region) for region in self.classes], "regions_class_order": list(self.paint)}

    def planes(self, label: torch.Tensor) -> torch.Tensor:
        """(B, 1, H, W) label maps -> (B, K, 1, H, W) bool, one binary mask per class."""
        return torch.stack([torch.isin(label, torch.tensor(region, dtype=label.dtype, device=label.device)) for region in self.classes],
                           dim=1)

    def to_labels(self, probability: torch.Tensor) -> torch.Tensor:
        """(..., K, H, W) per-class probabilities -> (..., H, W) label map.

        Plain classes: a pixel takes the most probable class if that probability exceeds 0.5, else background
        (for K = 1 the plain 0.5 threshold). Regions: each region above 0.5 is painted in order.
        """
        if not self.is_regions:
            best, index = probability.max(dim=-3)
            return torch.where(best > 0.5, index + 1, torch.zeros_like(index))
        labels = torch.zeros(probability.shape[:-3] + probability.shape[-2:], dtype=torch.long,
                             device=probability.device)
        for k, value in enumerate(self.paint):
            labels[probability[..., k, :, :] > 0.5] = value
        return labels
