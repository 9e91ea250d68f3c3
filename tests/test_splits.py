"""Cross-validation folds (``--fold``): nnU-Net's splits_final.json or seeded folds, for 2D folders and volumes."""

import json
import warnings

import pytest

from sdseg.cli.main import main
from sdseg.data.folder_dataset import discover_cases
from sdseg.data.nnunet_dataset import load_nnunet_dataset
from sdseg.data.splits import FOLDS_FILE, Partition, load_splits, make_folds
from sdseg.errors import ConfigError, DataError
from sdseg.training.autoencoder import train_autoencoder
from sdseg.training.sdseg_trainer import warn_if_first_stage_saw


def run(*argv):
    return main([str(a) for a in argv])


def test_seeded_folds_put_every_case_in_exactly_one_val():
    names = [f"c{i}" for i in range(12)]
    folds = make_folds(names, seed=0)
    assert len(folds) == 5
    assert sorted(sum((f["val"] for f in folds), [])) == sorted(names)
    for fold in folds:
        assert sorted(fold["train"] + fold["val"]) == sorted(names) and not set(fold["train"]) & set(fold["val"])
    assert folds == make_folds(names, seed=0) and folds != make_folds(names, seed=1)
    assert len(make_folds(names[:3], seed=0)) == 3  # one case per val below five cases
    with pytest.raises(DataError, match="at least 2"):
        make_folds(names[:1], seed=0)


def test_a_fold_of_a_2d_folder_redivides_train_and_val_and_keeps_test(disc_dataset):
    names = list(discover_cases(disc_dataset))
    base = load_splits(disc_dataset, names)
    vals = []
    for fold in range(5):
        split = load_splits(disc_dataset, names, Partition(fold=fold))
        assert split["test"] == base["test"]
        assert sorted(split["train"] + split["val"]) == sorted(base["train"] + base["val"])
        vals += split["val"]
    assert sorted(vals) == sorted(base["train"] + base["val"])
    with pytest.raises(DataError, match="there are 5 folds"):
        load_splits(disc_dataset, names, Partition(fold=5))


def test_nnunets_splits_final_json_is_used_and_checked(disc_dataset):
    names = list(discover_cases(disc_dataset))
    folds = [{"train": ["case00", "case01"], "val": ["case02"]}, {"train": ["case02"], "val": ["case00", "case01"]}]
    (disc_dataset / FOLDS_FILE).write_text(json.dumps(folds))
    assert load_splits(disc_dataset, names, Partition(fold=1))["val"] == ["case00", "case01"]
    with pytest.raises(DataError, match=f"{FOLDS_FILE}: there are 2 folds"):
        load_splits(disc_dataset, names, Partition(fold=2))
    folds[0]["val"] = ["case14"]  # a test case
    (disc_dataset / FOLDS_FILE).write_text(json.dumps(folds))
    with pytest.raises(DataError, match="fold 0 names cases .*case14"):
        load_splits(disc_dataset, names, Partition(fold=0))
    (disc_dataset / FOLDS_FILE).write_text(json.dumps({"train": []}))
    with pytest.raises(DataError, match="must be a list of folds"):
        load_splits(disc_dataset, names, Partition(fold=0))


def test_folds_of_an_nnunet_dataset_cover_its_training_cases(nnunet_dataset):
    dataset = load_nnunet_dataset(nnunet_dataset)
    vals = [case.name for fold in range(4) for case in dataset.split("val", Partition(fold=fold))]
    assert sorted(vals) == sorted(case.name for case in dataset.training)  # 4 cases: 4 folds of one
    assert dataset.split("test", Partition(fold=2)) == dataset.test
    assert len(dataset.split("train", Partition(fold=2))) == 3


def test_a_resumed_run_keeps_its_fold(micro_preset, disc_dataset, tmp_path):
    run_dir = tmp_path / "ae"
    micro_preset.autoencoder_training.steps = 2
    assert train_autoencoder(micro_preset, disc_dataset, run_dir, fold=3)["fold"] == 3
    micro_preset.autoencoder_training.steps = 3
    with pytest.raises(ConfigError, match="trained with --fold 3: resume it with --fold 3"):
        train_autoencoder(micro_preset, disc_dataset, run_dir, resume_training=True, fold=1)
    with pytest.raises(ConfigError, match="with --fold 3"):
        train_autoencoder(micro_preset, disc_dataset, run_dir, resume_training=True)
    assert train_autoencoder(micro_preset, disc_dataset, run_dir, resume_training=True, fold=3)["steps"] == 3


def test_evaluate_scores_the_folds_val_cases(disc_dataset, tmp_path, capsys):
    names = list(discover_cases(disc_dataset))
    val = load_splits(disc_dataset, names, Partition(fold=2))["val"]
    assert val != load_splits(disc_dataset, names)["val"]
    predictions = tmp_path / "pred"
    predictions.mkdir()
    for name in val:  # the ground truth as the prediction, for the fold's val cases only
        (predictions / f"{name}.png").write_bytes((disc_dataset / "masks" / f"{name}.png").read_bytes())
    assert run("evaluate", predictions, disc_dataset, "--split", "val", "--fold", 2) == 0
    summary = json.loads((predictions / "summary.json").read_text())
    assert sorted(case["case"] for case in summary["metric_per_case"]) == val
    for split in ([], ["--split", "test"]):  # a fold re-divides train and val only: asked of anything else, refused
        assert run("evaluate", predictions, disc_dataset, *split, "--fold", 2) == 2
    assert "give --split val" in capsys.readouterr().err


def test_cross_validation_of_a_volume_dataset_end_to_end(nnunet_dataset, micro_preset_file, tmp_path):
    """README's recipe: one model per fold, each predicting and scoring its own val cases, then one evaluation of
    every training case, each predicted by the model that did not train on it; and the folds' ensemble on the test
    cases."""
    held_out = []
    assert run("train-autoencoder", nnunet_dataset, "-o", tmp_path / "ae", "--config", micro_preset_file) == 0
    first_stage = json.loads((tmp_path / "ae" / "summary.json").read_text())
    assert sorted(first_stage["train_cases"] + first_stage["val_cases"]) == [f"case{i:02d}" for i in range(4)]
    for fold in range(4):
        model = tmp_path / f"fold{fold}"
        with warnings.catch_warnings(record=True) as caught:  # one first stage for every fold: a shortcut, flagged
            warnings.simplefilter("always")
            assert run("train", nnunet_dataset, "--first-stage", tmp_path / "ae", "-o", model, "--config",
                       micro_preset_file, "--set", "training.steps=2", "--fold", fold) == 0
        summary = json.loads((model / "summary.json").read_text())
        assert summary["fold"] == fold and len(summary["val_cases"]) == 1
        flagged = any("was trained on 1 of this run's 1 val case" in str(w.message) for w in caught)
        assert flagged == (summary["val_cases"][0] in first_stage["train_cases"])
        held_out += summary["val_cases"]
        val = tmp_path / f"val{fold}"
        assert run("predict", nnunet_dataset, "--split", "val", "--fold", fold, "-m", model, "-o", val) == 0
        assert run("evaluate", val, nnunet_dataset, "--split", "val", "--fold", fold) == 0
        assert json.loads((val / "summary.json").read_text())["num_cases"] == 1
    assert sorted(held_out) == [f"case{i:02d}" for i in range(4)]
    vals = [tmp_path / f"val{fold}" for fold in range(4)]
    assert run("evaluate", *vals, nnunet_dataset / "labelsTr") == 2  # several folders: where to write? refused
    assert run("evaluate", *vals, nnunet_dataset / "labelsTr", "-o", tmp_path / "cv") == 0
    pooled = json.loads((tmp_path / "cv" / "summary.json").read_text())
    assert sorted(case["case"] for case in pooled["metric_per_case"]) == sorted(held_out)
    assert run("evaluate", vals[0], vals[0], nnunet_dataset / "labelsTr", "-o", tmp_path / "twice") == 2
    folds = [tmp_path / f"fold{fold}" for fold in range(4)]  # then the folds' ensemble on the test cases
    assert run("predict", nnunet_dataset, *(arg for f in folds for arg in ("-m", f)), "-o", tmp_path / "ensemble") == 0
    assert run("evaluate", tmp_path / "ensemble", nnunet_dataset, "--split", "test") == 0
    assert json.loads((tmp_path / "ensemble" / "summary.json").read_text())["num_cases"] == 2


def test_a_first_stage_that_trained_on_the_val_cases_is_flagged(tmp_path):
    """``--first-stage run/last`` finds its run's summary one level up; pretrained weights record nothing."""
    (tmp_path / "ae" / "last").mkdir(parents=True)
    (tmp_path / "ae" / "summary.json").write_text(json.dumps({"train_cases": ["a", "b"], "val_cases": ["c"]}))
    with pytest.warns(UserWarning, match="trained on 1 of this run's 2 val case.*a; .*--fold and --seed"):
        assert warn_if_first_stage_saw(tmp_path / "ae" / "last", ["a", "c"]) == ["a"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert warn_if_first_stage_saw(tmp_path / "ae", ["c"]) == []
        (tmp_path / "sd-vae").mkdir()
        assert warn_if_first_stage_saw(tmp_path / "sd-vae", ["a"]) == []
