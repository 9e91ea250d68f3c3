"""What each process of tests/test_distributed.py runs under ``accelerate launch``.

It runs the real command line (``sdseg train-autoencoder`` then ``sdseg train``) and
records, per rank, what the distributed tests check afterwards; the library itself
is unchanged. ``fit`` is wrapped (in the trainer modules' namespaces) so that each
rank writes to the run folder:

- ``rank{r}.json``: the names of the cases in every micro-batch with the optimizer step
  it belonged to, plus the process count, accumulation steps and the prepared loader's
  total batch size;
- ``rank{r}_trainable.pt``: the trainable weights this rank holds at its last checkpoint
  (taken by a ``register_save_state_pre_hook``, accelerate's public checkpoint hook);
- ``rank{r}/``: the model exported from this rank by the trainer's own ``export``
  (EMA weights for SDSeg), as rank 0 exports ``last/``.

Usage: ``accelerate launch ... tests/distributed_worker.py DATA OUTPUT PRESET.json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import torch

from sdseg.cli.main import main
from sdseg.training import autoencoder, loop, sdseg_trainer


def recording_fit(accelerator, state, loader, *, train_step, export, output_dir, **kwargs):
    rank = accelerator.process_index
    micro_batches = []

    def recorded_step(batch: dict) -> dict:
        micro_batches.append({"step": state.step, "names": list(batch["name"])})
        return train_step(batch)

    def save_trainable(models, weights, checkpoint_dir):
        trainable = accelerator.unwrap_model(models[0]).state_dict()
        torch.save({k: v.detach().cpu().clone() for k, v in trainable.items()}, output_dir / f"rank{rank}_trainable.pt")

    hook = accelerator.register_save_state_pre_hook(save_trainable)
    try:
        result = loop.fit(accelerator, state, loader, train_step=recorded_step, export=export,
                          output_dir=output_dir, **kwargs)
    finally:
        hook.remove()
    export(output_dir / f"rank{rank}")
    (output_dir / f"rank{rank}.json").write_text(json.dumps({
        "num_processes": accelerator.num_processes,
        "grad_accum": accelerator.gradient_accumulation_steps,
        "total_batch_size": loader.total_batch_size,
        "micro_batches": micro_batches,
    }))
    return result


if __name__ == "__main__":
    data, output, preset = sys.argv[1:4]
    autoencoder.fit = sdseg_trainer.fit = recording_fit
    first_stage = Path(output) / "ae"
    status = main(["train-autoencoder", data, "-o", str(first_stage), "--config", preset])
    if status == 0:
        status = main(["train", data, "--first-stage", str(first_stage), "-o", str(Path(output) / "run"),
                       "--config", preset])
    sys.exit(status)
