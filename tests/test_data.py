import json

import numpy as np
import pytest
import torch
from PIL import Image

from sdseg.data.augmentation import random_flips
from sdseg.data.folder_dataset import SegmentationFolder, discover_cases
from sdseg.data.splits import Partition, load_splits
from sdseg.data.image_io import read_image, read_mask
from sdseg.errors import DataError


def save(path, array, **kw):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array).save(path, **kw)


@pytest.mark.parametrize("scale", [1, 255])
def test_masks_0_1_and_0_255_read_the_same(tmp_path, scale):
    mask = np.zeros((8, 8), np.uint8)
    mask[2:5, 3:6] = scale
    save(tmp_path / "m.png", mask)
    assert read_mask(tmp_path / "m.png").tolist() == (mask > 0).astype(np.uint8).tolist()


def test_jpeg_masks_are_thresholded_at_127(tmp_path):
    mask = np.zeros((32, 32), np.uint8)
    mask[8:24, 8:24] = 255
    save(tmp_path / "m.jpg", mask, quality=70)
    result = read_mask(tmp_path / "m.jpg")
    assert set(np.unique(result)) <= {0, 1}
    assert abs(int(result.sum()) - 256) < 20


def test_non_binary_mask_is_an_error_naming_the_file(tmp_path):
    save(tmp_path / "bad.png", np.array([[0, 1], [2, 255]], np.uint8))
    with pytest.raises(DataError, match=r"bad\.png.*0/1 or 0/255"):
        read_mask(tmp_path / "bad.png")


def test_unreadable_image_is_an_error_naming_the_file(tmp_path):
    (tmp_path / "broken.png").write_bytes(b"not a png")
    with pytest.raises(DataError, match=r"broken\.png.*cannot be read"):
        read_image(tmp_path / "broken.png")


def test_grey_images_become_rgb(tmp_path):
    save(tmp_path / "g.png", np.full((5, 7), 9, np.uint8))
    assert read_image(tmp_path / "g.png").shape == (5, 7, 3)


def test_empty_images_folder_is_an_error(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "masks").mkdir()
    with pytest.raises(DataError, match="no images found"):
        discover_cases(tmp_path)


def test_folder_of_neither_layout_names_what_is_missing(tmp_path):
    (tmp_path / "imagesTr").mkdir()  # an nnU-Net dataset whose dataset.json was left behind
    with pytest.raises(DataError, match=r"no images/ folder.*no dataset\.json\)"):
        discover_cases(tmp_path)


def test_image_without_mask_is_an_error(disc_dataset):
    (disc_dataset / "masks" / "case03.png").unlink()
    with pytest.raises(DataError, match="have no mask.*case03"):
        discover_cases(disc_dataset)


def test_size_mismatch_is_an_error_naming_both_files(disc_dataset):
    save(disc_dataset / "masks" / "case00.png", np.zeros((10, 10), np.uint8))
    with pytest.raises(DataError, match=r"case00\.png is 48x40 but .*case00\.png is 10x10"):
        SegmentationFolder(disc_dataset, "train", 32)


def test_dataset_items_are_resized_and_in_range(disc_dataset):
    item = SegmentationFolder(disc_dataset, "train", 32)[1]
    assert item["image"].shape == (3, 32, 32) and item["mask"].shape == (1, 32, 32)
    assert item["image"].min() >= -1 and item["image"].max() <= 1
    assert set(torch.unique(item["mask"]).tolist()) <= {0.0, 1.0}


def test_splits_json_is_used_and_checked(disc_dataset):
    names = list(discover_cases(disc_dataset))
    assert load_splits(disc_dataset, names)["test"] == ["case13", "case14", "case15"]
    (disc_dataset / "splits.json").write_text(json.dumps({"train": ["nope"]}))
    with pytest.raises(DataError, match="nope"):
        load_splits(disc_dataset, names)


def test_seeded_split_without_splits_json_is_reproducible_and_disjoint(disc_dataset):
    (disc_dataset / "splits.json").unlink()
    names = list(discover_cases(disc_dataset))
    first, second = load_splits(disc_dataset, names, Partition(3)), load_splits(disc_dataset, names, Partition(3))
    assert first == second
    assert sorted(sum(first.values(), [])) == sorted(names)
    assert len(first["val"]) == len(first["test"]) == 1


def test_random_flips_move_image_and_mask_together():
    torch.manual_seed(0)
    image = torch.arange(2 * 3 * 4 * 5, dtype=torch.float32).view(2, 3, 4, 5)
    mask = image[:, :1].clone()
    flipped = random_flips({"image": image, "mask": mask, "name": ["a", "b"]})
    assert torch.equal(flipped["image"][:, :1], flipped["mask"])
    assert flipped["name"] == ["a", "b"]
    for original, result in zip(image, flipped["image"]):
        variants = [original, original.flip(-1), original.flip(-2), original.flip(-1).flip(-2)]
        assert any(torch.equal(result, v) for v in variants)
