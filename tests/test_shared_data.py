"""Reads the real PolypGen data in ../shared/data when it is there (never copied into the repo)."""

from pathlib import Path

import pytest

from sdseg.data.folder_dataset import discover_cases
from sdseg.data.splits import load_splits
from sdseg.data.image_io import read_image, read_mask

POLYPGEN = Path(__file__).resolve().parents[2] / "shared" / "data" / "polypgen"

pytestmark = pytest.mark.skipif(
    not POLYPGEN.is_dir(), reason=f"real PolypGen data not found at {POLYPGEN} (only on development machines)"
)


def test_polypgen_is_a_valid_sdseg_dataset_folder():
    cases = discover_cases(POLYPGEN)
    splits = load_splits(POLYPGEN, list(cases))
    assert len(cases) == 1449
    assert [len(splits[s]) for s in ("train", "val", "test")] == [1165, 142, 142]
    for name in splits["test"][:5]:
        image, mask = read_image(cases[name].image), read_mask(cases[name].mask)
        assert image.shape[:2] == mask.shape and set(mask.ravel().tolist()) <= {0, 1}
