"""How many operator calls each part of an SDSeg training step makes, and what each part costs here.

On the GPU the 256² `small` step ran at nearly the same rate at batch 8 and 32 (docs/RESULTS.md "On a GPU"): it is
bound by what the host does per step, chiefly launching one kernel per operator call, not by arithmetic. This counts
the operator calls the host issues per part of the step -- forward and backward of the
preset's loss, gradient clipping (foreach, as on a GPU), the fused AdamW step, and the EMA update both as diffusers
does it by default (a loop over the tensors) and as ``make_ema`` does it (foreach) -- and times each on this CPU.
The counts do not depend on the batch or the image size; a small batch keeps the run short.

    python benchmarks/bench_step_ops.py --presets cpu128,small --json ops.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch
from diffusers.training_utils import EMAModel
from torch.profiler import ProfilerActivity, profile

from bench_step_parts import seconds_per_call  # beside this file, as python runs it
from sdseg.config import load_preset
from sdseg.models import SDSegModel, build_autoencoder
from sdseg.training.loop import make_ema, make_optimizer
from sdseg.training.losses import sdseg_loss


def host_calls(action) -> int:
    """Operator calls the host issues: top-level aten calls (from Python), autograd's backward functions and
    optimizer steps, nearly each at least one kernel launch on a GPU (clipping's are mostly ``.to`` calls to the
    device a norm is already on, which launch nothing). A foreach or fused call counts once: on a GPU it launches
    one kernel per chunk of tensors, where this CPU runs it as a loop over them."""
    action()  # warm-up: allocations, oneDNN primitives, lazily created optimizer state
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        action()
    return sum(1 for event in prof.events() if event.cpu_parent is None
               and event.name.startswith(("aten::", "autograd::engine::evaluate_function", "Optimizer.step")))


def step_ops(preset_name: str, batch: int, repeats: int) -> dict:
    preset = load_preset(preset_name)
    size, cfg = preset.image_size, preset.training
    model = SDSegModel.from_preset(preset, build_autoencoder(preset.autoencoder, size))
    denoiser = model.denoiser
    params = list(denoiser.parameters())
    generator = torch.Generator().manual_seed(0)
    data = {"image": torch.rand(batch, 3, size, size, generator=generator) * 2 - 1,
            "mask": (torch.rand(batch, 1, size, size, generator=generator) > 0.5).float()}
    optimizer = make_optimizer(params, cfg.effective_lr, cfg.weight_decay)
    per_tensor, foreach = EMAModel(params, decay=cfg.ema_decay), make_ema(denoiser, cfg.ema_decay)

    def forward_backward() -> None:
        optimizer.zero_grad()
        losses = sdseg_loss(model, denoiser, data, cfg.loss_weights_at(0), cfg.final_timestep_fraction, 0.0, None)
        losses["loss"].backward()

    forward_backward()  # gradients for the parts below
    parts = {
        "forward_backward": forward_backward,
        "clip_grad_norm_foreach": lambda: torch.nn.utils.clip_grad_norm_(params, 1.0, foreach=True),
        "adamw_fused": optimizer.step,
        "ema_per_tensor_loop": lambda: per_tensor.step(params),
        "ema_foreach": lambda: foreach.step(params),
    }
    return {"preset": preset_name, "image_size": size, "batch_size": batch, "parameter_tensors": len(params),
            "threads": torch.get_num_threads(), "torch": torch.__version__,
            "host_calls": {name: host_calls(action) for name, action in parts.items()},
            "milliseconds": {name: round(1000 * seconds_per_call(action, repeats), 2)
                             for name, action in parts.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--presets", default="cpu128,small")
    parser.add_argument("--batch", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    results = [step_ops(name, args.batch, args.repeats) for name in args.presets.split(",")]
    print(json.dumps(results, indent=1))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
