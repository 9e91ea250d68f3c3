import json

import numpy as np
import pytest
from PIL import Image

from sdseg.data.synthetic import make_synthetic_dataset

SIZES = ((96, 96), (96, 120))


def stems(folder):
    return sorted(p.stem for p in folder.glob("*.png"))


def masks(root):
    return [np.asarray(Image.open(p)) for p in sorted((root / "masks").glob("*.png"))]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    return make_synthetic_dataset(tmp_path_factory.mktemp("synthetic") / "data", num_images=40, seed=0, sizes=SIZES)


def test_layout_sizes_and_values(dataset):
    names = stems(dataset / "images")
    assert names == [f"case_{i:04d}" for i in range(40)] == stems(dataset / "masks")
    seen_sizes = set()
    for name in names:
        image = Image.open(dataset / "images" / f"{name}.png")
        mask = Image.open(dataset / "masks" / f"{name}.png")
        assert image.mode == "RGB" and mask.mode == "L"
        assert image.size == mask.size
        seen_sizes.add(image.size[::-1])
        assert set(np.unique(np.asarray(mask)).tolist()) <= {0, 255}
    assert seen_sizes == set(SIZES)


def test_splits_are_disjoint_and_cover_all_cases(dataset):
    splits = json.loads((dataset / "splits.json").read_text())
    assert set(splits) == {"train", "val", "test"}
    assert all(names == sorted(names) and names for names in splits.values())
    combined = splits["train"] + splits["val"] + splits["test"]
    assert len(combined) == len(set(combined)) == 40
    assert sorted(combined) == stems(dataset / "images")
    assert (len(splits["train"]), len(splits["val"]), len(splits["test"])) == (28, 6, 6)


def test_empty_and_lesion_masks_with_sane_area(dataset):
    fractions = [(m > 0).mean() for m in masks(dataset)]
    assert any(f == 0 for f in fractions)
    lesions = [f for f in fractions if f > 0]
    assert lesions and all(0.01 < f < 0.7 for f in lesions)


def test_lesions_differ_in_colour_from_background(dataset):
    for name in stems(dataset / "images"):
        image = np.asarray(Image.open(dataset / "images" / f"{name}.png"), dtype=np.float64)
        mask = np.asarray(Image.open(dataset / "masks" / f"{name}.png")) > 0
        if mask.any():
            # paler and more yellow: the green channel is clearly higher inside lesions
            assert image[mask, 1].mean() > image[~mask, 1].mean() + 10


def test_deterministic_per_seed(tmp_path):
    a = make_synthetic_dataset(tmp_path / "a", num_images=20, seed=3)
    b = make_synthetic_dataset(tmp_path / "b", num_images=20, seed=3)
    c = make_synthetic_dataset(tmp_path / "c", num_images=20, seed=4)
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert len(files) == 41
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    assert any((a / f).read_bytes() != (c / f).read_bytes() for f in files)


def test_too_few_images_for_three_splits_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="at least 3"):
        make_synthetic_dataset(tmp_path, num_images=2)
