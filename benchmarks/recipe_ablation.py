"""Issue 10's recipe ablation: train SDSeg arms that differ by preset overrides, then score each on test.

Every arm uses the same first stage, preset, steps and seed; only its ``--set`` overrides differ,
so a row measures one change (or one named combination). Arms run ``--jobs`` at a time with
one thread each. Selection is on val (the run's ``best/``), the table reports test by
``sdseg evaluate``. Writes ``OUTPUT/ablation.json`` with each arm's command and raw figures:

    python benchmarks/recipe_ablation.py ../shared/data/polypgen --first-stage runs/ae64 \\
        --config tiny --steps 800 -o runs/ablation64 --arms paper v v_cond --jobs 2
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def _weights(**extra: float) -> list[str]:
    """The paper's two loss terms plus ``extra``, as one ``--set`` override."""
    return ["training.loss_weights=" + json.dumps({"prediction": 1, "latent": 1, **extra})]


PAPER = ["scheduler.prediction_type=epsilon", *_weights(), "training.final_timestep_fraction=0",
         "vision_encoder={}", 'augmentation={"flips":true}']
V = ["scheduler.prediction_type=v_prediction"]
COND = _weights(condition=1)
COND2 = _weights(condition=2)
COND4 = _weights(condition=4)
# + the latent or condition L1 on the foreground's latent pixels alone (the misses are small polyps left empty)
COND_LATFG = _weights(condition=1, latent_foreground=1)
COND_CONDFG = _weights(condition=1, condition_foreground=1)
MASK = _weights(mask_dice=1, mask_bce=1)
COND_MASK = _weights(condition=1, mask_dice=1, mask_bce=1)
AUG = ['augmentation={"flips":true,"rotate_degrees":20,"scale":0.15,"shift":0.1,"brightness":0.1,"contrast":0.15}']
WIDE = ['vision_encoder={"block_out_channels":[32,64,128,128],"layers_per_block":2}']
WIDE1 = ['vision_encoder={"block_out_channels":[32,64,128,128],"layers_per_block":1}']
# WIDE1 with a 2x wider coarsest level (and mid-block): capacity where the resolution is lowest, so cheapest
WIDE1_TOP = ['vision_encoder={"block_out_channels":[32,64,128,256],"layers_per_block":1}']
FINAL = ["training.final_timestep_fraction=0.5"]
SAMPLE_FINAL = ["scheduler.prediction_type=sample", "training.final_timestep_fraction=1"]
MODE = ["training.mask_latent=mode"]

# Each arm: the paper's recipe plus the listed overrides (later ones win).
ARMS: dict[str, list[str]] = {
    "paper": [],
    "v": V,
    "cond": COND,
    "mask": MASK,
    "aug": AUG,
    "wide": WIDE,
    "final": ["training.final_timestep_fraction=1"],
    "sample_final": SAMPLE_FINAL,
    "v_cond": V + COND,
    "v_cond_mask": V + COND_MASK,
    "v_cond_final": V + COND + FINAL,
    "v_cond_final75": V + COND + ["training.final_timestep_fraction=0.75"],
    "v_cond_final_cosine": V + COND + FINAL + ["training.lr_schedule=cosine"],
    "v_cond_final_wide1": V + COND + FINAL + WIDE1,
    "v_cond_final_wide1_aug": V + COND + FINAL + WIDE1 + AUG,
    "v_cond_final_wide1_top": V + COND + FINAL + WIDE1_TOP,
    "v_cond2_final_wide1": V + COND2 + FINAL + WIDE1,
    "v_cond4_final_wide1": V + COND4 + FINAL + WIDE1,
    "v_cond_latfg_final_wide1": V + COND_LATFG + FINAL + WIDE1,
    "v_cond_condfg_final_wide1": V + COND_CONDFG + FINAL + WIDE1,
    "v_cond_mode": V + COND + MODE,
    "v_cond_mode_final": V + COND + MODE + FINAL,
    "v_cond_lr2x": V + COND + ["training.lr=0.002"],
    "v_cond_aug": V + COND + AUG,
    "v_cond_wide": V + COND + WIDE,
    "sample_final_cond": SAMPLE_FINAL + COND,
    "sample_final_cond_mask": SAMPLE_FINAL + COND_MASK,
}


def run(command: list[str], log: Path, threads: int) -> None:
    env = {**os.environ, "OMP_NUM_THREADS": str(threads)}
    with log.open("a") as out:
        out.write("$ " + " ".join(command) + "\n")
        out.flush()
        subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, env=env, check=True)


def run_arm(name: str, args: argparse.Namespace) -> dict:
    sdseg = str(Path(sys.executable).with_name("sdseg"))
    folder = Path(args.output) / name
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "log.txt"
    overrides = PAPER + ARMS[name] + [f"training.steps={args.steps}"] + args.set
    train = [sdseg, "train", args.data, "--first-stage", args.first_stage, "-o", str(folder / "run"),
             "--config", args.config, "--seed", str(args.seed)] + [x for o in overrides for x in ("--set", o)]
    if args.vision_encoder_init:
        train += ["--vision-encoder-init", args.vision_encoder_init]
    predict = [sdseg, "predict", args.data, "--split", "test", "-m", str(folder / "run"),
               "-o", str(folder / "pred"), "--no-overlays", "--batch-size", "16"]
    evaluate = [sdseg, "evaluate", str(folder / "pred"), args.data, "--split", "test"]
    started = time.perf_counter()
    if not (folder / "run" / "summary.json").exists():
        run(train, log, args.threads)
    train_seconds = time.perf_counter() - started
    run(predict, log, args.threads)
    run(evaluate, log, args.threads)
    summary = json.loads((folder / "run" / "summary.json").read_text())
    test = json.loads((folder / "pred" / "summary.json").read_text())
    return {
        "arm": name,
        "overrides": ARMS[name],
        "commands": [" ".join(c) for c in (train, predict, evaluate)],
        "best_val_dice": summary["best_val_dice_single_step"],
        "val_history": [(h["step"], round(h["val_dice"], 4)) for h in summary["history"]],
        "test_dice_1step": round(test["foreground_mean"]["dice"], 4),
        "train_seconds": round(train_seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data")
    parser.add_argument("--first-stage", required=True)
    parser.add_argument("-o", "--output", required=True)
    parser.add_argument("--config", default="tiny")
    parser.add_argument("--steps", type=int, default=800)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--arms", nargs="+", default=list(ARMS), choices=list(ARMS))
    parser.add_argument("--set", action="append", default=[], help="an override for every arm")
    parser.add_argument("--vision-encoder-init", default=None,
                        help="every arm's vision encoder starts from this autoencoder's encoder (sdseg train's option)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1, help="torch threads per arm")
    args = parser.parse_args()
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    table_path = out / "ablation.json"
    table = json.loads(table_path.read_text()) if table_path.exists() else {}
    with ThreadPoolExecutor(args.jobs) as pool:
        for row in pool.map(lambda name: run_arm(name, args), args.arms):
            table[row["arm"]] = row
            table_path.write_text(json.dumps(table, indent=2) + "\n")
            print(f"{row['arm']:>24}  val {row['best_val_dice']:.4f}  test {row['test_dice_1step']}", flush=True)


if __name__ == "__main__":
    main()
