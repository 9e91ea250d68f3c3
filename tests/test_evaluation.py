"""Evaluation metrics and folder scoring, on masks written to tmp_path with Pillow."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from sdseg.errors import DataError
from sdseg.evaluation.evaluate import evaluate_folders
from sdseg.evaluation.metrics import OVERLAP_METRICS, assd, confusion, dice, hd95, iou, surface_distances


def rect(top: int, left: int, bottom: int, right: int, shape: tuple[int, int] = (20, 20)) -> np.ndarray:
    mask = np.zeros(shape, dtype=np.uint8)
    mask[top:bottom, left:right] = 1
    return mask


# Two 10x10 squares overlapping in a 5x10 strip: |P| = |T| = 100, |P∩T| = 50, |P∪T| = 150.
PRED, TARGET = rect(0, 0, 10, 10), rect(5, 0, 15, 10)
EMPTY = np.zeros((20, 20), dtype=np.uint8)


def save(path: Path, mask: np.ndarray, scale: int = 255) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray((mask * scale).astype(np.uint8)).save(path)
    return path


# --- metrics ---------------------------------------------------------------------------


def test_overlapping_rectangles_match_hand_computed_values() -> None:
    assert dice(PRED, TARGET) == pytest.approx(2 * 50 / 200)
    assert iou(PRED, TARGET) == pytest.approx(50 / 150)
    assert confusion(PRED, TARGET) == {"tp": 50, "fp": 50, "fn": 50, "tn": 400 - 150}


def test_boolean_and_0_255_inputs_give_the_same_result() -> None:
    assert dice(PRED.astype(bool), TARGET * 255) == pytest.approx(0.5)


@pytest.mark.parametrize("metric", OVERLAP_METRICS.values())
def test_empty_mask_rule(metric) -> None:
    assert metric(EMPTY, EMPTY) == 1.0
    assert metric(EMPTY, TARGET) == 0.0
    assert metric(PRED, EMPTY) == 0.0


@pytest.mark.parametrize("metric", [*OVERLAP_METRICS.values(), confusion, hd95, assd])
def test_shape_mismatch_raises(metric) -> None:
    with pytest.raises(ValueError, match="shape"):
        metric(PRED, np.zeros((20, 21), dtype=np.uint8))


def line(row: int, shape: tuple[int, int] = (40, 40)) -> np.ndarray:
    mask = np.zeros(shape, dtype=np.uint8)
    mask[row, 5:25] = 1
    return mask


@pytest.mark.parametrize("k", [1, 3, 7])
def test_parallel_lines_k_rows_apart_are_k_away(k: int) -> None:
    # Every pixel of one line sits exactly k rows above a pixel of the other, so all distances are k.
    assert hd95(line(10), line(10 + k)) == pytest.approx(k)
    assert assd(line(10), line(10 + k)) == pytest.approx(k)


def test_spacing_scales_distances_per_axis() -> None:
    assert hd95(line(10), line(13), spacing=(2.0, 0.5)) == pytest.approx(6.0)
    assert assd(line(10), line(13), spacing=(2.0, 0.5)) == pytest.approx(6.0)


def test_identical_masks_are_zero_distance() -> None:
    assert hd95(PRED, PRED) == 0.0 and assd(PRED, PRED) == 0.0


def test_distances_are_undefined_when_a_mask_is_empty() -> None:
    for pred, target in ((EMPTY, TARGET), (PRED, EMPTY), (EMPTY, EMPTY)):
        assert np.isnan(hd95(pred, target)) and np.isnan(assd(pred, target))
        assert surface_distances(pred, target) is None


def brute_force_directed(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance from each surface pixel of ``a`` to the nearest surface pixel of ``b``, by enumeration."""
    def outline(m: np.ndarray) -> np.ndarray:
        padded = np.pad(m, 1)
        inner = padded[1:-1, 1:-1] & padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:]
        return np.argwhere(m & ~inner)
    pa, pb = outline(a.astype(bool)), outline(b.astype(bool))
    return np.sqrt(((pa[:, None, :] - pb[None, :, :]) ** 2).sum(-1)).min(axis=1)


@pytest.mark.parametrize("k", [2, 5, 12])
def test_squares_offset_by_k_pixels_match_brute_force(k: int) -> None:
    a, b = rect(4, 4, 14, 14, (30, 30)), rect(4, 4 + k, 14, 14 + k, (30, 30))
    forward, backward = surface_distances(a, b)
    np.testing.assert_allclose(np.sort(forward), np.sort(brute_force_directed(a, b)))
    np.testing.assert_allclose(np.sort(backward), np.sort(brute_force_directed(b, a)))
    # The Hausdorff distance of two equal squares shifted by k is k; the 95th percentile cannot exceed it.
    assert max(forward.max(), backward.max()) == pytest.approx(k)
    assert 0 < hd95(a, b) <= k
    assert assd(a, b) == pytest.approx(np.concatenate([forward, backward]).mean())


# --- evaluate_folders ------------------------------------------------------------------


def make_folders(tmp_path: Path, gt_scale: int = 255, pred_scale: int = 255) -> tuple[Path, Path]:
    pred_dir, gt_dir = tmp_path / "pred", tmp_path / "gt"
    save(pred_dir / "a.png", PRED, pred_scale)
    save(gt_dir / "a.png", TARGET, gt_scale)
    save(pred_dir / "b.png", EMPTY, pred_scale)
    save(gt_dir / "b.png", EMPTY, gt_scale)
    return pred_dir, gt_dir


def test_writes_csv_and_summary_with_per_case_values_and_mean(tmp_path: Path) -> None:
    pred_dir, gt_dir = make_folders(tmp_path)
    out = tmp_path / "out"
    summary = evaluate_folders(pred_dir, gt_dir, out)

    assert json.loads((out / "summary.json").read_text()) == summary
    assert summary["num_cases"] == 2 and summary["distance_unit"] == "pixel"
    a, b = summary["metric_per_case"]
    assert (a["case"], b["case"]) == ("a", "b")
    assert a["prediction_file"] == str(pred_dir / "a.png")
    assert a["reference_file"] == str(gt_dir / "a.png")
    a, b = a["metrics"]["1"], b["metrics"]["1"]
    assert a["dice"] == pytest.approx(0.5)
    assert a["iou"] == pytest.approx(1 / 3)
    assert a["hd95"] == pytest.approx(5.0)  # the squares are offset by 5 rows
    assert (a["tp"], a["fp"], a["fn"]) == (50, 50, 50)
    assert b["dice"] == 1.0 and b["gt_empty"] and b["pred_empty"] and b["hd95"] is None
    assert summary["mean"]["1"] == pytest.approx({"dice": 0.75, "iou": 2 / 3, "hd95": a["hd95"], "assd": a["assd"]})
    assert summary["median"]["1"]["dice"] == pytest.approx(0.75)
    assert summary["std"]["1"]["dice"] == pytest.approx(0.25)
    assert summary["std"]["1"]["hd95"] == 0.0  # one defined case
    assert summary["undefined"] == {"1": {"hd95": 1, "assd": 1}}
    assert summary["foreground_mean"] == summary["mean"]["1"]
    assert "empty" in summary["empty_mask_policy"] and "undefined" in summary["distance_policy"]

    with (out / "metrics.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["case", "class", "dice", "iou", "hd95", "assd", "tp", "fp", "fn", "gt_empty", "pred_empty"]
    assert [(r["case"], r["class"]) for r in rows] == [("a", "1"), ("b", "1")]
    assert float(rows[0]["dice"]) == pytest.approx(0.5)
    assert int(rows[0]["fn"]) == 50
    assert rows[1]["gt_empty"] == "True" and rows[1]["hd95"] == "nan"


def test_output_dir_defaults_to_prediction_folder(tmp_path: Path) -> None:
    pred_dir, gt_dir = make_folders(tmp_path)
    evaluate_folders(pred_dir, gt_dir)
    assert (pred_dir / "metrics.csv").is_file() and (pred_dir / "summary.json").is_file()
    assert [p.name for p in pred_dir.iterdir() if p.name.startswith(".")] == []


def test_0_1_and_0_255_masks_give_the_same_result(tmp_path: Path) -> None:
    scaled = evaluate_folders(*make_folders(tmp_path / "scaled"), tmp_path / "o1")
    binary = evaluate_folders(*make_folders(tmp_path / "binary", gt_scale=1, pred_scale=1), tmp_path / "o2")
    assert scaled["mean"] == binary["mean"]


def test_jpg_ground_truth_is_accepted(tmp_path: Path) -> None:
    pred_dir, gt_dir = tmp_path / "pred", tmp_path / "gt"
    save(pred_dir / "a.png", TARGET)
    save(gt_dir / "a.jpg", TARGET)
    summary = evaluate_folders(pred_dir, gt_dir, tmp_path / "out")
    assert summary["metric_per_case"][0]["reference_file"].endswith("a.jpg")
    assert summary["mean"]["1"]["dice"] == pytest.approx(1.0)


def test_overlays_subfolder_is_ignored(tmp_path: Path) -> None:
    pred_dir, gt_dir = make_folders(tmp_path)
    save(pred_dir / "overlays" / "a.png", TARGET)
    save(pred_dir / "overlays" / "extra.png", TARGET)
    assert evaluate_folders(pred_dir, gt_dir, tmp_path / "out")["num_cases"] == 2


# --- errors ----------------------------------------------------------------------------


def assert_fails(pred_dir: Path, gt_dir: Path, out: Path, names: str) -> None:
    with pytest.raises(DataError, match=re.escape(names)):
        evaluate_folders(pred_dir, gt_dir, out)
    assert not (out / "summary.json").exists()
    assert not (out / "metrics.csv").exists()


def test_missing_prediction_names_the_ground_truth_file(tmp_path: Path) -> None:
    pred_dir, gt_dir = make_folders(tmp_path)
    save(gt_dir / "lonely_gt.png", TARGET)
    assert_fails(pred_dir, gt_dir, tmp_path / "out", "lonely_gt.png")


def test_missing_ground_truth_names_the_prediction_file(tmp_path: Path) -> None:
    pred_dir, gt_dir = make_folders(tmp_path)
    save(pred_dir / "lonely_pred.png", TARGET)
    assert_fails(pred_dir, gt_dir, tmp_path / "out", "lonely_pred.png")


def test_many_missing_cases_are_listed_briefly(tmp_path: Path) -> None:
    pred_dir, gt_dir = make_folders(tmp_path)
    for i in range(8):
        save(pred_dir / f"extra{i}.png", TARGET)
    with pytest.raises(DataError, match=r"extra0\.png.*and 3 more"):
        evaluate_folders(pred_dir, gt_dir, tmp_path / "out")


@pytest.mark.parametrize("which", ["pred", "gt"])
def test_empty_folder_names_the_folder(tmp_path: Path, which: str) -> None:
    pred_dir, gt_dir = make_folders(tmp_path)
    for path in (tmp_path / which).iterdir():
        path.unlink()
    assert_fails(pred_dir, gt_dir, tmp_path / "out", str(tmp_path / which))


def test_missing_folder_names_the_folder(tmp_path: Path) -> None:
    pred_dir, _ = make_folders(tmp_path)
    assert_fails(pred_dir, tmp_path / "nowhere", tmp_path / "out", "nowhere")


def test_size_mismatch_names_both_files(tmp_path: Path) -> None:
    pred_dir, gt_dir = make_folders(tmp_path)
    save(gt_dir / "a.png", np.ones((20, 24), dtype=np.uint8))
    with pytest.raises(DataError) as info:
        evaluate_folders(pred_dir, gt_dir, tmp_path / "out")
    assert str(pred_dir / "a.png") in str(info.value) and str(gt_dir / "a.png") in str(info.value)
    assert not (tmp_path / "out" / "summary.json").exists()


def test_volume_distances_use_the_spacing_in_mm():
    from sdseg.evaluation.metrics import score_pair

    a = np.zeros((5, 20, 20), bool)
    a[1:4, 5:15, 5:15] = True
    b = np.roll(a, 2, axis=2)  # shifted 2 voxels along x
    in_voxels = score_pair(b, a)
    in_mm = score_pair(b, a, spacing=(3.0, 1.0, 0.5))  # (z, y, x)
    assert in_mm["hd95"] == pytest.approx(in_voxels["hd95"] * 0.5)
    assert in_mm["dice"] == in_voxels["dice"]


def test_plain_folder_of_volumes_reads_each_file_once_and_scores_every_label(tmp_path, monkeypatch):
    import numpy as np

    from sdseg.data.volume import Geometry, write_volume
    from sdseg.evaluation import evaluate as evaluate_module

    geometry = Geometry((1.0, 1.0, 2.0), (0.0, 0.0, 0.0), (1, 0, 0, 0, 1, 0, 0, 0, 1), (6, 5, 4))
    gt_dir, pred_dir = tmp_path / "gt", tmp_path / "pred"
    first = np.zeros((4, 5, 6), np.uint8)
    first[1:3, 1:3, 1:3] = 1
    second = first.copy()
    second[2, 3, 4] = 2  # label 2 exists in the second case only
    for folder in (gt_dir, pred_dir):
        write_volume(folder / "a.nii.gz", first, geometry)
        write_volume(folder / "b.nii.gz", second, geometry)
    reads = []
    real_read = evaluate_module.read_volume
    monkeypatch.setattr(evaluate_module, "read_volume", lambda path, **kw: reads.append(Path(path).name) or real_read(path, **kw))
    summary = evaluate_folders(pred_dir, gt_dir, tmp_path / "out")
    assert sorted(reads) == ["a.nii.gz", "a.nii.gz", "b.nii.gz", "b.nii.gz"]  # one prediction + one ground truth each
    assert summary["labels"] == [1, 2]
    case_a = next(c for c in summary["metric_per_case"] if c["case"] == "a")
    assert case_a["metrics"]["2"]["dice"] == 1.0 and case_a["metrics"]["2"]["tn"] == first.size
    assert set(case_a["metrics"]) == {"1", "2", "foreground"} and "voxels" not in case_a
