"""Both training commands under ``accelerate launch`` with 2 CPU processes (gloo), as on N GPUs.

One launch runs tests/distributed_worker.py, which runs ``sdseg train-autoencoder`` and
then ``sdseg train`` on the micro preset and records what each rank saw and holds.
``ACCELERATE_USE_CPU=1`` with ``--multi_gpu`` is how accelerate's own launcher starts
several local CPU processes on gloo without MPI (``--cpu`` starts a single process).
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from conftest import MICRO, write_disc_dataset

from sdseg.errors import DataError
from sdseg.training.loop import endless_batches

PROCESSES = 2
WORKER = Path(__file__).with_name("distributed_worker.py")
# The autoencoder takes one micro-batch per step; SDSeg accumulates two per step.
PRESET = copy.deepcopy(MICRO)
PRESET["autoencoder_training"].update(steps=4, batch_size=4, val_every=2, checkpoint_every=2)
PRESET["training"].update(steps=4, batch_size=2, grad_accum=2, val_every=2, checkpoint_every=2)


def accelerate_command() -> list[str]:
    script = Path(sys.executable).with_name("accelerate")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "accelerate.commands.launch"]


@pytest.fixture(scope="module")
def distributed_run(tmp_path_factory) -> Path:
    pytest.importorskip("accelerate")
    if not torch.distributed.is_available() or not torch.distributed.is_gloo_available():
        pytest.skip("this torch build has no gloo backend")
    root = tmp_path_factory.mktemp("distributed")
    data = write_disc_dataset(root / "discs")
    preset = root / "preset.json"
    preset.write_text(json.dumps(PRESET))
    env = {**os.environ, "ACCELERATE_USE_CPU": "1", "OMP_NUM_THREADS": "1",
           "HF_HOME": str(root / "hf_home")}  # no user accelerate config changes the launch
    command = [*accelerate_command(), "launch", "--multi_gpu", f"--num_processes={PROCESSES}", "--num_machines=1",
               "--mixed_precision=no", "--dynamo_backend=no", "--main_process_port=0",
               str(WORKER), str(data), str(root / "out"), str(preset)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    return root / "out"


def read_ranks(run: Path) -> list[dict]:
    return [json.loads((run / f"rank{r}.json").read_text()) for r in range(PROCESSES)]


def exported_weights(folder: Path) -> dict[str, torch.Tensor]:
    """Every tensor of an exported model folder, keyed by file and name."""
    return {f"{path.relative_to(folder)}:{name}": tensor
            for path in sorted(folder.rglob("*.safetensors")) for name, tensor in load_file(path).items()}


@pytest.mark.parametrize("run_name, section", [("ae", "autoencoder_training"), ("run", "training")])
def test_every_rank_ends_with_the_same_weights(distributed_run, run_name, section):
    run = distributed_run / run_name
    trainable = [torch.load(run / f"rank{r}_trainable.pt") for r in range(PROCESSES)]
    assert trainable[0].keys() == trainable[1].keys() and trainable[0]
    assert all(torch.equal(trainable[0][k], trainable[1][k]) for k in trainable[0])
    # the checkpoint (written by rank 0) holds those weights, and each rank's export (EMA weights
    # for SDSeg) equals the ``last`` model rank 0 exported
    checkpoint = load_file(run / "checkpoint" / "model.safetensors")
    assert all(torch.equal(checkpoint[k], trainable[1][k]) for k in checkpoint)
    last = exported_weights(run / "last")
    for rank in range(PROCESSES):
        exported = exported_weights(run / f"rank{rank}")
        assert exported.keys() == last.keys() and all(torch.equal(exported[k], last[k]) for k in last), rank
    summary = json.loads((run / "summary.json").read_text())
    assert summary["steps"] == PRESET[section]["steps"]


@pytest.mark.parametrize("run_name, section", [("ae", "autoencoder_training"), ("run", "training")])
def test_the_effective_batch_is_processes_times_batch_times_accumulation(distributed_run, run_name, section):
    cfg = PRESET[section]
    batch, accum = cfg["batch_size"], cfg.get("grad_accum", 1)
    ranks = read_ranks(distributed_run / run_name)
    per_step: dict[int, list[str]] = defaultdict(list)
    for rank in ranks:
        assert rank["num_processes"] == PROCESSES and rank["grad_accum"] == accum
        assert rank["total_batch_size"] == PROCESSES * batch
        assert len(rank["micro_batches"]) == cfg["steps"] * accum
        for micro_batch in rank["micro_batches"]:
            assert len(micro_batch["names"]) == batch  # the batch size is per process
            per_step[micro_batch["step"]] += micro_batch["names"]
    assert sorted(per_step) == list(range(cfg["steps"]))
    for names in per_step.values():  # each optimizer step saw N x batch x accum distinct cases
        assert len(set(names)) == len(names) == PROCESSES * batch * accum


def test_too_few_cases_for_all_processes_is_an_error():
    class Sharded(list):
        """What accelerate's prepared loader looks like when every rank's share is empty."""

        def set_epoch(self, epoch):
            pass

    class Accelerator:
        gradient_accumulation_steps, num_processes = 1, 8

    with pytest.raises(DataError, match="8 processes"):
        next(endless_batches(Accelerator(), Sharded(), 0))
