"""Oversampling: which items a training epoch draws, for 2D folders and volume slices alike."""

from __future__ import annotations

import numpy as np
import pytest

from sdseg.config import TrainingConfig
from sdseg.data.oversampling import oversampled
from sdseg.data.sources import open_train_val
from sdseg.errors import ConfigError


def share(items, has_foreground) -> float:
    lookup = dict(zip(range(len(has_foreground)), has_foreground))
    return float(np.mean([lookup[i] for i in items]))


def test_the_short_side_is_repeated_whole():
    has_foreground = [True] * 8 + [False] * 2  # 80 % foreground
    items = list(range(10))
    assert oversampled(items, has_foreground, None) == items
    more = oversampled(items, has_foreground, 0.9)  # foreground twice: 16 of 18
    assert sorted(more) == sorted([8, 9] + list(range(8)) * 2) and share(more, has_foreground) == pytest.approx(16 / 18)
    fewer = oversampled(items, has_foreground, 0.6)  # the two empty items three times: 8 of 14
    assert sorted(fewer) == sorted([8, 9] * 3 + list(range(8))) and share(fewer, has_foreground) == pytest.approx(8 / 14)
    assert oversampled(items, has_foreground, 0.79) == [8, 9] + list(range(8))  # under one repeat: all once
    assert oversampled(items, has_foreground, 0.6, at_least=True) == [8, 9] + list(range(8))  # a floor, met already


def test_a_split_with_one_kind_of_item_is_left_alone():
    assert oversampled([0, 1, 2], [True] * 3, 0.5) == [0, 1, 2]
    assert oversampled([0, 1, 2], [False] * 3, 0.5) == [0, 1, 2]


def test_a_folder_repeats_its_empty_images_for_training_only(disc_dataset):
    # the disc set's training split holds 2 empty masks of 10 (every fifth case is empty)
    train, val, _ = open_train_val(disc_dataset, 32, foreground_fraction=0.6)
    assert len(train) == 14 and len(val) == 3
    empty = [bool(train[i]["mask"].sum() == 0) for i in range(len(train))]
    assert sum(empty) == 6
    assert sorted({train[i]["name"] for i in range(len(train))}) == [f"case{i:02d}" for i in range(10)]
    plain, _, _ = open_train_val(disc_dataset, 32)
    assert len(plain) == 10


def test_volume_slices_keep_nnunets_share_unless_asked(nnunet_dataset):
    default, _, _ = open_train_val(nnunet_dataset, 16)
    chosen, _, _ = open_train_val(nnunet_dataset, 16, foreground_fraction=0.9)
    assert len(chosen) > len(default)
    empty = [item for item in default.index if not default.volumes[item[0]].label[item[1]].any()]
    assert empty and len(empty) == len(set(empty))  # by default a floor on foreground: empty slices appear once


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.2, 1.5])
def test_the_share_must_lie_strictly_between_0_and_1(fraction):
    with pytest.raises(ConfigError, match="foreground_fraction"):
        TrainingConfig(foreground_fraction=fraction)
