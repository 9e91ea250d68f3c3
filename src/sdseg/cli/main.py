"""``sdseg``: the command-line entry point.

Every sub-command takes ``--config`` (a preset name or JSON file) with ``--set
section.key=value`` overrides where it trains, ``--seed``, and ``--fold`` where it reads a
dataset's split. User errors print one line naming the file and what to do, and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
from functools import partial
from pathlib import Path

from ..allocator import keep_freed_memory
from ..config import PRESETS, load_preset
from ..errors import SDSegError
from ..io_utils import write_json

PRESET_FILE = "preset.json"
CONVERT_LAYOUTS = ("btcv", "cvc-clinicdb", "kvasir-seg", "refuge2", "sts3d")  # data.convert.CONVERTERS' keys;
# listed here so that building the parser (and --help) does not import SimpleITK


def _add_preset_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", default=None, help=f"preset name ({', '.join(PRESETS)}) or JSON file; "
                        "default: tiny, or the run's saved preset with --resume")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help="override a preset value, e.g. --set training.steps=500 (repeatable)")
    parser.add_argument("--seed", type=int, default=0, help="seed for initialisation and noise, and for the split "
                        "and folds where no splits.json / splits_final.json fixes them")
    _add_fold_option(parser)
    parser.add_argument("--resume", action="store_true", help="continue from OUTPUT/checkpoint")
    parser.add_argument("--mixed-precision", choices=("no", "fp16", "bf16"), default=None,
                        help="autocast: bf16 on GPUs and on CPUs with avx512_bf16 or AMX, where "
                        "it is fast (elsewhere on a CPU it is slow); default: the preset's, 'no'")
    parser.add_argument("--log-with", action="append", default=None, metavar="TRACKER",
                        help="also send losses, learning rate and validation Dice to an accelerate tracker "
                        "(tensorboard, wandb, mlflow, ...; its package must be installed; repeatable); "
                        "progress.png in the run folder is always drawn")


def _add_fold_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--fold", type=int, default=None, metavar="K",
                        help="cross-validation fold K of the dataset's train and val cases, as nnU-Net's: from its "
                        "splits_final.json, else a seeded 5-fold split (fewer folds for fewer than 5 cases); "
                        "test cases never join a fold")


def _partition(args: argparse.Namespace):
    """The split ``--seed`` and ``--fold`` choose; a fold only re-divides train and val, so it needs one of them."""
    from ..data.splits import Partition
    from ..errors import ConfigError

    if args.fold is not None and args.split not in ("train", "val"):
        raise ConfigError(f"--fold {args.fold} chooses which cases are train and which val: give --split val (the "
                          "fold's held-out cases) or --split train with it")
    return Partition(args.seed, args.fold)


def _add_decoder_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--decoder", choices=("full", "light"), default="full",
                        help="full (default): the first stage's decoder; light: the model's light decoder "
                        "(written by distill-decoder), a fraction of the full one's cost")


def _run_preset(args: argparse.Namespace, section: str, run_dir: Path | None = None):
    """The preset for a training run; a resumed run reuses the one it saved (in ``run_dir``, default
    the output folder) unless told otherwise."""
    saved = Path(run_dir or args.output) / PRESET_FILE
    source = args.config or (saved if args.resume and saved.is_file() else "tiny")
    overrides = args.overrides + ([f"{section}.mixed_precision={args.mixed_precision}"] if args.mixed_precision else [])
    overrides += [f"{section}.log_with={json.dumps(args.log_with)}"] if args.log_with else []
    preset = load_preset(source, overrides)
    from ..training.progress import check_trackers

    check_trackers(getattr(preset, section).log_with)  # before anything is written
    saved.parent.mkdir(parents=True, exist_ok=True)
    write_json(saved, preset.to_dict())  # atomic: under accelerate launch every rank reads and writes it
    return preset


def _print_summary(title: str, rows: dict) -> None:
    if int(os.environ.get("RANK", "0")) != 0:  # one summary per distributed run, from its main process
        return
    print(f"\n{title}")
    for key, value in rows.items():
        print(f"  {key:<28} {value}")


def cmd_train_autoencoder(args: argparse.Namespace) -> None:
    from ..training.autoencoder import train_autoencoder

    preset = _run_preset(args, "autoencoder_training")
    summary = train_autoencoder(preset, args.data, args.output, args.seed, args.resume, args.fold)
    _print_summary("first stage trained", {
        "preset": preset.name, "steps": summary["steps"], "parameters": f"{summary['parameters']:,}",
        "val mask round-trip Dice": f"{summary['val_mask_round_trip_dice']:.4f}",
        "model (best)": Path(args.output) / "best",
    })


def cmd_train(args: argparse.Namespace) -> None:
    from ..training.sdseg_trainer import train_sdseg
    from .paths import first_stage_source

    preset = _run_preset(args, "training")
    first_stage = first_stage_source(args.first_stage)
    encoder_init = args.vision_encoder_init and first_stage_source(args.vision_encoder_init)
    summary = train_sdseg(preset, args.data, first_stage, args.output, args.seed, args.resume, args.unet_init,
                          encoder_init, args.fold)
    counts = summary["parameters"]
    _print_summary("SDSeg trained", {
        "preset": preset.name, "steps": summary["steps"],
        **{f"parameters: {k}": f"{v:,}" for k, v in counts.items()},
        "best val Dice (1 step)": f"{summary['best_val_dice_single_step']:.4f}",
        "model (best)": Path(args.output) / "best",
    })


def cmd_distill_decoder(args: argparse.Namespace) -> None:
    from ..models.sdseg import CONFIG_NAME
    from ..training.distill_decoder import distill_decoder, run_folder
    from .paths import model_folder

    model = model_folder(args.model, CONFIG_NAME)
    preset = _run_preset(args, "distill", run_folder(args.output))
    summary = distill_decoder(preset, args.data, model, args.output, args.seed, args.resume, args.fold)
    _print_summary("light decoder distilled", {
        "steps": summary["steps"], "parameters": f"{summary['parameters']:,}",
        "val Dice (1 step), full": f"{summary['val_dice_single_step_full']:.4f}",
        "val Dice (1 step), light": f"{summary['best_val_dice_single_step_light']:.4f}",
        "model": args.output, "run": run_folder(args.output),
    })


def _load_model(args: argparse.Namespace):
    """The trained model at ``--model`` (several: their ensemble), prepared for ``--device`` (default: cuda when
    available), its settings, and its folders."""
    from ..inference.engine import InferenceSettings
    from ..inference.ensemble import ModelEnsemble
    from ..models.sdseg import CONFIG_NAME, SDSegModel
    from .paths import model_folder

    settings = InferenceSettings.for_device(args.device, precision=getattr(args, "precision", None),
                                            compile=getattr(args, "compile", False), steps=args.steps,
                                            seed=args.seed, decoder=args.decoder, batch_size=args.batch_size,
                                            num_workers=args.num_workers, mirror=getattr(args, "mirror", False))
    folders = [model_folder(path, CONFIG_NAME) for path in args.model]
    models = [settings.prepare(SDSegModel.from_pretrained(folder)) for folder in folders]
    return (models[0] if len(models) == 1 else ModelEnsemble(models, folders)), settings, folders


def _prediction_inputs(args: argparse.Namespace, model, settings):
    """Check every input, then ``(inputs, output names, predict(indices, on_failure) -> stats)``."""
    from ..data.input_check import check_images, check_volumes
    from ..inference.predictor import predict_files
    from ..inference.volume_predictor import predict_volumes
    from .paths import input_images, input_volumes

    if model.config.normalization is not None:
        channels = len(model.config.normalization)
        cases, ending = input_volumes(args.inputs, args.split, channels, _partition(args))
        check_volumes(cases, channels)
        inputs = [", ".join(str(path.resolve()) for path in case.images) for case in cases]
        return inputs, [f"{case.name}{ending}" for case in cases], partial(
            predict_volumes, model, cases, args.output, ending, settings)
    paths = input_images(args.inputs, args.split, _partition(args))
    check_images(paths)
    return [str(path.resolve()) for path in paths], [f"{path.stem}.png" for path in paths], partial(
        predict_files, model, paths, args.output, settings, not args.no_overlays)


def cmd_predict(args: argparse.Namespace) -> int:
    from ..inference.job import RECORD_NAME, PredictionJob, job_identity
    from ..inference.predictor import stop_on_failure

    model, settings, folders = _load_model(args)
    inputs, outputs, predict = _prediction_inputs(args, model, settings)
    job = PredictionJob.open(args.output, job_identity(folders, settings, inputs), inputs, outputs, args.continue_job,
                             args.command_line)
    stats = predict(indices=job.todo, on_failure=job.fail if args.skip_unreadable else stop_on_failure)
    job.write("finished", **stats)
    _print_summary("prediction done", {"inputs": len(inputs), "already done": len(inputs) - len(job.todo), **stats,
                                       "failed": len(job.failed), "steps": args.steps, "output": args.output})
    if job.failed:
        print(f"sdseg predict: {len(job.failed)} input(s) failed and were skipped; see \"failed\" in "
              f"{Path(args.output) / RECORD_NAME}", file=sys.stderr)
        return 1
    return 0


def cmd_evaluate(args: argparse.Namespace) -> None:
    from ..evaluation.evaluate import evaluate_folders
    from .paths import dataset_labels, reference_masks

    gt_dir, cases = reference_masks(args.ground_truth, args.split, _partition(args))
    summary = evaluate_folders(args.predictions, gt_dir, args.output, cases, dataset_labels(args.ground_truth),
                               args.command_line)
    _print_summary("evaluation", {
        "cases": summary["num_cases"],
        **{f"mean {k}": "undefined" if v is None else f"{v:.4f}" for k, v in summary["foreground_mean"].items()},
        "summary": Path(args.output or args.predictions[0]) / "summary.json",
    })


def cmd_stability(args: argparse.Namespace) -> None:
    from ..data.image_io import list_images
    from ..data.input_check import check_images
    from ..evaluation.stability import run_stability
    from .paths import input_images, reference_masks

    model, settings, _ = _load_model(args)
    paths = input_images(args.inputs, args.split, _partition(args))
    check_images(paths)
    truth = args.ground_truth or (args.inputs[0] if len(args.inputs) == 1 and args.split else None)
    masks = {p.stem: p for p in list_images(reference_masks(truth, None)[0])} if truth else None
    result = run_stability(model, paths, args.output, masks, args.runs, settings)
    dataset, instance = result["dataset_level"], result["instance_level"]
    rows = {"images": result["num_images"], "runs": result["runs"], "steps": result["steps"]}
    if "dice_mean" in dataset:
        rows["dataset Dice"] = f"{dataset['dice_mean']:.4f} ± {dataset['dice_std']:.4f}"
    rows["LPIPS"] = "unavailable" if dataset["lpips"] is None else f"{dataset['lpips']:.4f}"
    for name in ("ssim", "ms_ssim", "psnr"):
        rows[name.upper().replace("_", "-")] = "undefined" if instance[name] is None else f"{instance[name]:.4f}"
    _print_summary("stability", {**rows, "report": Path(args.output) / "stability.json"})


def cmd_report(args: argparse.Namespace) -> None:
    from ..report.build import write_report
    from .paths import report_images

    images, dataset = report_images(args.images, args.split, _partition(args))
    index = write_report(args.predictions, images, args.output, data=", ".join(args.images), split=args.split,
                         stability=args.stability, gallery=args.gallery,
                         class_names=dataset.class_names if dataset else None,
                         value_names=dataset.value_names if dataset else None, command=args.command_line)
    _print_summary("report written", {"cases": len(images), "open": index.resolve().as_uri()})


def cmd_convert(args: argparse.Namespace) -> None:
    from ..data.convert import convert

    count = convert(args.layout, args.source, args.output)
    _print_summary("conversion done", {"layout": args.layout, "cases": count, "dataset": args.output})


def cmd_demo(args: argparse.Namespace) -> None:
    from .demo import run_demo

    run_demo(Path(args.output), args.num_images, args.config or "tiny", args.overrides, args.seed)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sdseg", description="SDSeg: single-step diffusion segmentation.")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="synthetic data -> first stage -> SDSeg -> predict -> evaluate")
    demo.add_argument("-o", "--output", default="sdseg_demo", help="output folder (default: sdseg_demo)")
    demo.add_argument("--num-images", type=int, default=600, help="synthetic images to generate")
    demo.add_argument("--config", default=None, help="preset (default: tiny)")
    demo.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")
    demo.add_argument("--seed", type=int, default=0)
    demo.set_defaults(func=cmd_demo)

    ae = sub.add_parser("train-autoencoder", help="train the KL first stage on a dataset's images and masks")
    ae.add_argument("data", help="2D dataset folder (images/, masks/) or nnU-Net dataset (dataset.json, imagesTr/)")
    ae.add_argument("-o", "--output", required=True, help="run folder (checkpoint/, best/, last/)")
    _add_preset_options(ae)
    ae.set_defaults(func=cmd_train_autoencoder)

    train = sub.add_parser("train", help="train SDSeg around a trained first stage")
    train.add_argument("data", help="2D dataset folder (images/, masks/) or nnU-Net dataset (dataset.json, imagesTr/)")
    train.add_argument("--first-stage", required=True, help="the frozen autoencoder: a train-autoencoder run folder, "
                       "a diffusers folder (e.g. sd-vae-ft-mse, TAESD), the taef2 folder, or an LDM/SD .ckpt or "
                       ".safetensors file")
    train.add_argument("--unet-init", default=None, help="start the denoiser from an LDM UNet checkpoint "
                       "(model.diffusion_model.* keys, e.g. LSUN-churches kl-f8 with --config paper); its first "
                       "conv is widened with zeros for the image latent")
    train.add_argument("--vision-encoder-init", default=None, help="start the vision encoder from another "
                       "autoencoder's encoder, of any kind --first-stage takes (e.g. the pretrained taef2 folder "
                       "around a self-trained mask first stage); its output layer is re-initialised for the first "
                       "stage's latent channels; give it again with --resume")
    train.add_argument("-o", "--output", required=True, help="run folder (checkpoint/, best/, last/)")
    _add_preset_options(train)
    train.set_defaults(func=cmd_train)

    distill = sub.add_parser("distill-decoder", help="distil a light mask decoder into a trained model "
                             "(faster prediction with --decoder light)")
    distill.add_argument("data", help="the dataset the model was trained on (its training split is used)")
    distill.add_argument("-m", "--model", required=True, help="model folder or training run folder")
    distill.add_argument("-o", "--output", required=True, help="model folder to write: the model plus "
                         "light_decoder/ (may be the model folder itself); run files go to OUTPUT.distill/")
    _add_preset_options(distill)
    distill.set_defaults(func=cmd_distill_decoder)

    predict = sub.add_parser("predict", help="segment images with a trained model")
    predict.add_argument("inputs", nargs="+", help="image files, image folders, or a dataset folder; for a volume "
                         "model: CASE_0000.nii.gz... files, folders of them, or an nnU-Net dataset (default: imagesTs)")
    predict.add_argument("-m", "--model", required=True, action="append", help="model folder or training run "
                         "folder; repeated (-m A -m B, e.g. the runs of a dataset's folds): their ensemble, as "
                         "nnU-Net's, each model's soft masks from the same noise averaged")
    predict.add_argument("-o", "--output", required=True, help="folder for NAME.png masks (or CASE label "
                         "volumes), overlays/, and predict.json (the model, settings and failed inputs)")
    predict.add_argument("--split", choices=("train", "val", "test"), help="with a dataset folder: one split")
    predict.add_argument("--steps", type=int, default=1, help="1 = SDSeg's single step; K > 1 = DDIM with K steps")
    _add_decoder_option(predict)
    predict.add_argument("--seed", type=int, default=0, help="noise seed (image i uses seed + i), and with --split "
                         "the seed of the split when no file fixes it")
    _add_fold_option(predict)
    predict.add_argument("--batch-size", type=int, default=8)
    predict.add_argument("--num-workers", type=int, default=0)
    predict.add_argument("--device", default=None, help="cpu, cuda, cuda:1 ... (default: cuda if available)")
    predict.add_argument("--no-overlays", action="store_true", help="write masks only")
    predict.add_argument("--precision", choices=("fp32", "bf16", "fp16"), default=None,
                         help="autocast precision on GPU (default: bf16 on GPU; the CPU always runs fp32)")
    predict.add_argument("--compile", action="store_true", help="torch.compile the UNet (pays off on large inputs)")
    predict.add_argument("--mirror", action="store_true", help="test-time mirroring, as nnU-Net: average the image's "
                         "and its three flips' soft masks (4 single steps per image)")
    predict.add_argument("--continue", dest="continue_job", action="store_true",
                         help="resume a stopped job: predict only the inputs without an output in OUTPUT (its "
                         "predict.json must name the same model and settings)")
    predict.add_argument("--skip-unreadable", action="store_true", help="an input that cannot be read mid-run "
                         "is listed under 'failed' in OUTPUT/predict.json and the job goes on (exit status 1)")
    predict.set_defaults(func=cmd_predict)

    evaluate = sub.add_parser("evaluate", help="score predicted masks against ground truth")
    evaluate.add_argument("predictions", nargs="+", help="folder of predicted masks or label volumes; several "
                          "(e.g. each cross-validation fold's val predictions, with -o): scored together as one set")
    evaluate.add_argument("ground_truth", help="folder of ground-truth masks/volumes, a 2D dataset folder (uses "
                          "masks/), or an nnU-Net dataset (uses labelsTs/, or labelsTr/ with --split train|val)")
    evaluate.add_argument("--split", choices=("train", "val", "test"), help="with a dataset folder: one split")
    evaluate.add_argument("--seed", type=int, default=0, help="seed of the split when there is no splits.json")
    _add_fold_option(evaluate)
    evaluate.add_argument("-o", "--output", default=None, help="where to write metrics.csv and summary.json "
                          "(default: the predictions folder)")
    evaluate.set_defaults(func=cmd_evaluate)

    report = sub.add_parser("report", help="an HTML page of scored predictions: summary, distributions, worst "
                            "and best cases, every case in a sortable table")
    report.add_argument("predictions", help="prediction folder scored by sdseg evaluate (holds summary.json)")
    report.add_argument("--images", nargs="+", required=True, help="the images the predictions were made from: "
                        "files, folders, a dataset folder (with --split), or an nnU-Net dataset (default: its test cases)")
    report.add_argument("--split", choices=("train", "val", "test"), help="with a dataset folder: one split")
    report.add_argument("--seed", type=int, default=0, help="seed of the split when there is no splits.json")
    _add_fold_option(report)
    report.add_argument("--stability", default=None, help="a folder written by sdseg stability for the same "
                        "images: its uncertainty maps go beside the gallery's cases")
    report.add_argument("--gallery", type=int, default=12, help="worst and best cases shown large (default 12 each)")
    report.add_argument("-o", "--output", required=True, help="report folder to write (index.html and pictures)")
    report.set_defaults(func=cmd_report)

    convert = sub.add_parser("convert", help="turn a downloaded dataset into sdseg's 2D or nnU-Net layout")
    convert.add_argument("layout", choices=CONVERT_LAYOUTS, help="the download's layout")
    convert.add_argument("source", help="the downloaded dataset's folder")
    convert.add_argument("output", help="new dataset folder to create")
    convert.set_defaults(func=cmd_convert)

    stability = sub.add_parser("stability", help="the paper's stability protocol: M seeded runs compared")
    stability.add_argument("inputs", nargs="+", help="image files, image folders, or a dataset folder")
    stability.add_argument("-m", "--model", required=True, action="append", help="model folder or training run "
                           "folder (repeated: their ensemble, as predict)")
    stability.add_argument("-o", "--output", required=True,
                           help="folder for run 0's masks, uncertainty/ maps and stability.json")
    stability.add_argument("--split", choices=("train", "val", "test"), help="with a dataset folder: one split")
    stability.add_argument("--ground-truth", default=None, help="mask folder for the Dice figures "
                           "(default: the dataset folder's masks/ when one is given with --split)")
    stability.add_argument("--runs", type=int, default=10, help="M: runs with seeds 0..M-1 (default 10)")
    stability.add_argument("--steps", type=int, default=1, help="1 = single step; K > 1 = DDIM with K steps")
    stability.add_argument("--mirror", action="store_true", help="each run with test-time mirroring, as predict --mirror")
    stability.add_argument("--seed", type=int, default=0, help="seed of the split when there is no splits.json")
    _add_fold_option(stability)
    stability.add_argument("--batch-size", type=int, default=8)
    stability.add_argument("--num-workers", type=int, default=0)
    stability.add_argument("--device", default=None, help="cpu, cuda, ... (default: cuda if available)")
    _add_decoder_option(stability)
    stability.set_defaults(func=cmd_stability)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.command_line = shlex.join(["sdseg", *(sys.argv[1:] if argv is None else argv)])  # for the records
    keep_freed_memory()
    try:
        return args.func(args) or 0  # a command returns 1 when it finished but some inputs failed
    except SDSegError as exc:
        print(f"sdseg {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
