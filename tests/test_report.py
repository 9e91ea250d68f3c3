"""``sdseg report`` on tiny synthetic prediction sets: every case listed, every picture present,
the worst cases really the worst, volumes shown by their telling slices."""

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest
import SimpleITK as sitk
from PIL import Image

from sdseg.cli.main import main
from sdseg.errors import DataError
from sdseg.evaluation.evaluate import evaluate_folders
from sdseg.report.build import write_report
from sdseg.report.cases import Case, worst_and_best

from conftest import write_disc_dataset, write_nnunet_dataset


def section(page: str, heading: str) -> str:
    """The HTML between the <h2> starting with ``heading`` and the next one."""
    return page.split(f"<h2>{heading}", 1)[1].split("<h2>", 1)[0]


def gallery_names(page: str, heading: str) -> list[str]:
    return re.findall(r'<div class="case"><div><b>([^<]+)</b>', section(page, heading))


def assert_pictures_exist(report):
    page = (report / "index.html").read_text()
    sources = re.findall(r'src="([^"]+)"', page)
    assert sources and all((report / src).is_file() for src in sources)
    assert "http" not in " ".join(sources) and "<link" not in page  # nothing fetched


@pytest.fixture
def scored_discs(tmp_path):
    """16 disc cases; prediction i is the truth shifted right by i // 3 pixels, so Dice falls with i."""
    data = write_disc_dataset(tmp_path / "discs")
    predictions = tmp_path / "pred"
    predictions.mkdir()
    for i, mask in enumerate(sorted((data / "masks").glob("*.png"))):
        array = np.asarray(Image.open(mask)) > 0
        Image.fromarray(np.roll(array, i // 3, axis=1).astype(np.uint8)).save(predictions / mask.name)
    summary = evaluate_folders(predictions, data / "masks")
    return data, predictions, summary


def test_report_lists_every_case_and_its_pictures_exist(scored_discs, tmp_path):
    data, predictions, summary = scored_discs
    images = {p.stem: p for p in (data / "images").glob("*.png")}
    index = write_report(predictions, images, tmp_path / "report", data=str(data), gallery=4)
    page = index.read_text()
    table = section(page, "All cases")
    assert [c["case"] for c in summary["metric_per_case"]] == re.findall(r'<tr><td class=l data-v="">.*?'
                                                                       r'<td class=l data-v="([^"]+)"', table)
    assert_pictures_exist(tmp_path / "report")
    assert Image.open(tmp_path / "report" / "thumbs" / "00000_0.jpg").size[0] <= 112  # thumbnails, not full size

    ranked = sorted(summary["metric_per_case"], key=lambda c: (c["metrics"]["1"]["dice"], c["case"]))
    assert gallery_names(page, "Worst") == [c["case"] for c in ranked[:4]]
    rest = sorted(ranked[4:], key=lambda c: (not c["metrics"]["1"]["gt_empty"], c["metrics"]["1"]["dice"], c["case"]))
    assert gallery_names(page, "Best") == [c["case"] for c in rest[::-1][:4]]
    assert not any(c["metrics"]["1"]["gt_empty"] for c in rest[::-1][:4])  # the set has negatives; not shown here
    assert page.count('alt="overlay"') == 8 and "false negative" in page and "undefined" in page


def test_best_gallery_prefers_cases_with_foreground_to_empty_negatives():
    def case(name, dice, empty):
        return Case(name, Path(), Path(), Path(), {"1": {"dice": dice, "gt_empty": empty}}, dice)

    cases = [case("neg1", 1.0, True), case("neg2", 1.0, True), case("good", 0.9, False),
             case("fair", 0.6, False), case("poor", 0.1, False)]
    worst, best = worst_and_best(cases, 2)
    assert [c.name for c in worst] == ["poor", "fair"]
    assert [c.name for c in best] == ["good", "neg2"]


def test_report_rebuilds_its_own_folder_but_refuses_another(scored_discs, tmp_path):
    data, predictions, _ = scored_discs
    images = {p.stem: p for p in (data / "images").glob("*.png")}
    write_report(predictions, images, tmp_path / "report", data="discs")
    write_report(predictions, images, tmp_path / "report", data="discs")  # a report folder is replaced
    with pytest.raises(DataError, match="not a report"):
        write_report(predictions, images, predictions, data="discs")
    del images["case03"]
    with pytest.raises(DataError, match="'case03'"):
        write_report(predictions, images, tmp_path / "other", data="discs")


def test_report_without_evaluation_says_to_evaluate(tmp_path):
    (tmp_path / "pred").mkdir()
    with pytest.raises(DataError, match="sdseg evaluate"):
        write_report(tmp_path / "pred", {}, tmp_path / "report", data="x")


def test_volumes_get_their_most_error_and_most_foreground_slices(tmp_path):
    data = write_nnunet_dataset(tmp_path / "Dataset009_Tiny", n_train=2, n_test=3)
    predictions = tmp_path / "pred"
    predictions.mkdir()
    for i, label in enumerate(sorted((data / "labelsTs").glob("*.nii.gz"))):
        image = sitk.ReadImage(str(label))
        array = sitk.GetArrayFromImage(image)
        array[1 + i] = 0  # erase one slice: that slice has the most error
        wrong = sitk.GetImageFromArray(array)
        wrong.CopyInformation(image)
        sitk.WriteImage(wrong, str(predictions / label.name))
    evaluate_folders(predictions, data / "labelsTs", labels=(1, 2))
    report = tmp_path / "report"
    assert main(["report", str(predictions), "--images", str(data), "-o", str(report)]) == 0
    page = (report / "index.html").read_text()
    for i, case in enumerate(["case02", "case03", "case04"]):
        row = re.search(rf'<tr><td class=l data-v="">(.*?)</td><td class=l data-v="{case}"', page)[1]
        assert f"slice {1 + i}: most error" in row and "most foreground" in row
    assert "core" in page and "centre" in page  # class names from dataset.json in the legend and tables
    assert_pictures_exist(report)


def test_cli_report_with_stability_maps_and_recorded_commands(tmp_path, capsys):
    data, predictions = write_disc_dataset(tmp_path / "discs"), tmp_path / "pred"
    predictions.mkdir()
    for name in ("case13", "case14", "case15"):  # perfect predictions of the test split, scored through the CLI
        shutil.copy(data / "masks" / f"{name}.png", predictions)
    assert main(["evaluate", str(predictions), str(data), "--split", "test"]) == 0
    stability = tmp_path / "stability"
    (stability / "uncertainty").mkdir(parents=True)
    for name in ("case13", "case14", "case15"):
        Image.fromarray(np.full((40, 48), 60, np.uint8)).save(stability / "uncertainty" / f"{name}.png")
    report = tmp_path / "report"
    assert main(["report", str(predictions), "--images", str(data), "--split", "test", "--stability", str(stability),
                 "-o", str(report)]) == 0
    page = (report / "index.html").read_text()
    assert page.count('alt="uncertainty"') == 3
    assert "sdseg evaluate" in page and "sdseg report" in page and "split test" in page
    assert json.loads((predictions / "summary.json").read_text())["command"].startswith("sdseg evaluate")
    assert_pictures_exist(report)
    assert "index.html" in capsys.readouterr().out
