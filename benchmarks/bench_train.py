"""Training throughput and peak memory per preset: optimizer steps per second of ``sdseg train``
(and optionally of ``sdseg train-autoencoder``) on synthetic data at the preset's image size.

    python benchmarks/bench_train.py                       # tiny and cpu128, SDSeg stage
    python benchmarks/bench_train.py --presets tiny,cpu128,small,paper --stages sdseg,autoencoder \\
        --warmup 3 --steps 20 --json bench_train.json

A step is what the trainers do per optimizer step with ``grad_accum`` 1 -- the library's
own loss (``sdseg_loss`` / ``ReconstructionLoss``), optimizer (``make_optimizer``) and
accelerator (``make_accelerator``, so autocast and device placement are the trainer's),
plus gradient clipping and the EMA update (``make_ema``) for SDSeg -- on one batch of synthetic
endoscopy-like cases (the demo's generator) kept on the device, so data loading,
validation and checkpoints are not counted. Models are freshly initialised: the speed of
a step does not depend on what the weights are.

``--channels-last`` makes the SDSeg stage channels-last (``training.channels_last``). The SDSeg step
caches the mask encodings as ``sdseg train`` does; on one batch kept in memory every timed step
then hits, which is a long run's steady state. ``--uncached-masks`` times the step that encodes
every mask, as the first epoch does.

Each (preset, stage) is measured in a fresh child process, so one measurement's memory
does not leak into the next. Peak memory is ``torch.cuda.max_memory_allocated`` on a GPU
(tensors only, not the CUDA context or the caching allocator's slack) and, on a CPU, the
child's peak resident set size from ``resource.getrusage`` (the whole process: Python,
torch and the libraries included; the "baseline" column is that peak before any model
was built). The table says which. Run on an idle machine: other jobs change both numbers.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PRESET_NAMES = ("tiny", "cpu128", "small", "paper")
STAGES = ("sdseg", "autoencoder")


def peak_rss_mib() -> float:
    """This process's peak resident set size (``ru_maxrss`` is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def synthetic_batch(image_size: int, batch_size: int, seed: int = 0) -> dict:
    """``batch_size`` synthetic cases at the model's resolution, as the training loader returns them."""
    import numpy as np
    import torch

    from sdseg.data.folder_dataset import image_to_tensor, mask_to_tensor
    from sdseg.data.synthetic import _make_case

    rng = np.random.default_rng(seed)
    cases = [_make_case(rng, (image_size, image_size)) for _ in range(batch_size)]
    return {
        "image": torch.stack([image_to_tensor(image, image_size) for image, _ in cases]),
        "mask": torch.stack([mask_to_tensor(mask // 255, image_size) for _, mask in cases]),
    }


def sdseg_step(preset, accelerator, batch_size: int, mask_cache: bool = True):
    """One ``sdseg train`` optimizer step as a closure, and the trainable parameter count.

    With ``training.channels_last`` the models and images are channels-last, and with ``training.compile``
    the vision encoder and UNet compiled, as ``sdseg train`` makes them (compiling takes the first step: give
    ``--warmup`` 2 or more).
    """
    from sdseg.models import SDSegModel, build_autoencoder
    from sdseg.training.loop import make_ema, make_optimizer
    from sdseg.training.losses import sdseg_loss
    from sdseg.training.mask_encoding_cache import MaskEncodingCache
    from sdseg.training.sdseg_trainer import compile_for_training

    cfg = preset.training
    vae = build_autoencoder(preset.autoencoder, preset.image_size)
    model = SDSegModel.from_preset(preset, vae).to(accelerator.device, memory_format=cfg.memory_format)
    denoiser = model.denoiser
    optimizer = make_optimizer(denoiser.parameters(), cfg.effective_lr, cfg.weight_decay)
    ema = make_ema(denoiser, cfg.ema_decay)
    prepared, optimizer = accelerator.prepare(denoiser, optimizer)
    ema.to(accelerator.device)
    batch = {k: v.to(accelerator.device, memory_format=cfg.memory_format)
             for k, v in synthetic_batch(preset.image_size, batch_size).items()}
    cache = MaskEncodingCache(model.vae) if mask_cache and not preset.augmentation.warps_masks else None
    if cfg.compile:
        compile_for_training(denoiser)

    def step() -> None:
        losses = sdseg_loss(model, prepared, batch, cfg.loss_weights, cfg.final_timestep_fraction, mask_cache=cache)
        accelerator.backward(losses["loss"])
        accelerator.clip_grad_norm_(prepared.parameters(), cfg.max_grad_norm)
        optimizer.step()
        optimizer.zero_grad()
        ema.step(denoiser.parameters())

    return step, sum(p.numel() for p in denoiser.parameters() if p.requires_grad)


def autoencoder_step(preset, accelerator, batch_size: int):
    """One ``sdseg train-autoencoder`` optimizer step as a closure, and the trainable parameter count."""
    import torch

    from sdseg.data.augmentation import as_rgb
    from sdseg.models import build_autoencoder
    from sdseg.models.first_stage import mask_to_ae_input
    from sdseg.training.autoencoder import ReconstructionLoss
    from sdseg.training.loop import make_optimizer

    cfg = preset.autoencoder_training
    vae = build_autoencoder(preset.autoencoder, preset.image_size)
    objective = ReconstructionLoss(vae, cfg.kl_weight)
    optimizer = make_optimizer(vae.parameters(), cfg.lr)
    objective, optimizer = accelerator.prepare(objective, optimizer)
    batch = synthetic_batch(preset.image_size, batch_size)
    n_images = round(cfg.image_fraction * batch_size)
    x = torch.cat([as_rgb(batch["image"][:n_images]), mask_to_ae_input(batch["mask"][n_images:])])
    x = x.to(accelerator.device)

    def step() -> None:
        accelerator.backward(objective(x)["loss"])
        optimizer.step()
        optimizer.zero_grad()

    return step, sum(p.numel() for p in vae.parameters())


def measure(preset_name: str, stage: str, warmup: int, steps: int, batch_size: int | None,
            mixed_precision: str, threads: int | None, channels_last: bool = False,
            overrides: list[str] | None = None, mask_cache: bool = True) -> dict:
    """Time ``steps`` optimizer steps after ``warmup`` untimed ones, in this process."""
    import torch

    from sdseg.config import LoopConfig, load_preset
    from sdseg.training.loop import make_accelerator, native_bf16_flag

    if threads:
        torch.set_num_threads(threads)
    preset = load_preset(preset_name, [f"training.channels_last={str(channels_last).lower()}", *(overrides or [])])
    cfg = preset.training if stage == "sdseg" else preset.autoencoder_training
    batch_size = batch_size or cfg.batch_size
    with tempfile.TemporaryDirectory() as scratch:
        accelerator = make_accelerator(Path(scratch), LoopConfig(mixed_precision=mixed_precision), seed=0)
        on_gpu = accelerator.device.type == "cuda"
        baseline = peak_rss_mib()  # torch, diffusers and sdseg imported, no model yet
        if stage == "sdseg":
            step, parameters = sdseg_step(preset, accelerator, batch_size, mask_cache)
        else:
            step, parameters = autoencoder_step(preset, accelerator, batch_size)
        sync = torch.cuda.synchronize if on_gpu else (lambda: None)
        for _ in range(warmup):
            step()
        sync()
        if on_gpu:
            torch.cuda.reset_peak_memory_stats()
        started = time.perf_counter()
        for _ in range(steps):
            step()
        sync()
        seconds = time.perf_counter() - started
    if on_gpu:
        memory, memory_kind = torch.cuda.max_memory_allocated() / 2**20, "torch.cuda.max_memory_allocated"
        device = torch.cuda.get_device_name()
    else:
        memory, memory_kind = peak_rss_mib(), "peak RSS of the process (resource.getrusage)"
        device = (f"CPU ({platform.processor() or platform.machine()}, {torch.backends.cpu.get_cpu_capability()}"
                  f"{', AMX' if native_bf16_flag() == 'amx_bf16' else ''}, {torch.get_num_threads()} threads)")
    return {
        "preset": preset_name, "stage": stage, "image_size": preset.image_size, "batch_size": batch_size,
        "trainable_parameters": parameters, "mixed_precision": mixed_precision,
        "channels_last": channels_last if stage == "sdseg" else False, "overrides": overrides or [],
        "mask_cache": mask_cache if stage == "sdseg" else None,
        "warmup_steps": warmup, "timed_steps": steps, "seconds": round(seconds, 3),
        "steps_per_second": steps / seconds, "samples_per_second": steps * batch_size / seconds,
        "peak_memory_mib": round(memory, 1), "memory_kind": memory_kind,
        "baseline_rss_mib": None if on_gpu else round(baseline, 1),
        "device": device, "torch": torch.__version__,
    }


def run_child(args: argparse.Namespace, preset: str, stage: str) -> dict:
    command = [sys.executable, __file__, "--child", preset, stage, "--warmup", str(args.warmup),
               "--steps", str(args.steps), "--mixed-precision", args.mixed_precision]
    if args.batch_size:
        command += ["--batch-size", str(args.batch_size)]
    if args.threads:
        command += ["--threads", str(args.threads)]
    if args.channels_last:
        command.append("--channels-last")
    if args.uncached_masks:
        command.append("--uncached-masks")
    command += [x for override in args.set for x in ("--set", override)]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        return {"preset": preset, "stage": stage, "error": (result.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(result.stdout.strip().splitlines()[-1])


def table(rows: list[dict]) -> str:
    lines = ["| preset | stage | image | batch | trainable params | steps/s | samples/s | peak memory (MiB) |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['preset']} | {r['stage']} | | | | failed: {r['error'][:80]} | | |")
            continue
        memory = f"{r['peak_memory_mib']:.0f}"
        if r["baseline_rss_mib"] is not None:
            memory += f" (baseline {r['baseline_rss_mib']:.0f})"
        lines.append(f"| {r['preset']} | {r['stage']} | {r['image_size']}² | {r['batch_size']} "
                     f"| {r['trainable_parameters']:,} | {r['steps_per_second']:.3g} | {r['samples_per_second']:.3g} "
                     f"| {memory} |")
    measured = [r for r in rows if "error" not in r]
    if measured:
        first = measured[0]
        lines += ["", f"Device: {first['device']}; torch {first['torch']}; mixed precision {first['mixed_precision']}"
                  f"{', channels-last' if first.get('channels_last') else ''}; "
                  f"{first['warmup_steps']} warm-up + {first['timed_steps']} timed steps.",
                  f"Peak memory: {first['memory_kind']}."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--presets", default="tiny,cpu128", help=f"comma-separated, from {','.join(PRESET_NAMES)}")
    parser.add_argument("--stages", default="sdseg", help="comma-separated: sdseg (sdseg train), autoencoder")
    parser.add_argument("--warmup", type=int, default=2, help="untimed steps first (default 2)")
    parser.add_argument("--steps", type=int, default=10, help="timed steps (default 10)")
    parser.add_argument("--batch-size", type=int, default=None, help="default: each preset's own")
    parser.add_argument("--mixed-precision", choices=("no", "fp16", "bf16"), default="no")
    parser.add_argument("--channels-last", action="store_true",
                        help="SDSeg stage: channels-last models and images (training.channels_last)")
    parser.add_argument("--uncached-masks", action="store_true",
                        help="SDSeg stage: encode every mask each step (the first epoch's cost), no cache")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="a preset override for every measurement, as for sdseg train")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows as JSON here")
    parser.add_argument("--child", nargs=2, metavar=("PRESET", "STAGE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        row = measure(*args.child, args.warmup, args.steps, args.batch_size, args.mixed_precision, args.threads,
                      args.channels_last, args.set, not args.uncached_masks)
        print(json.dumps(row))
        return 0
    presets, stages = args.presets.split(","), args.stages.split(",")
    for name, allowed in (("preset", PRESET_NAMES), ("stage", STAGES)):
        unknown = set(presets if name == "preset" else stages) - set(allowed)
        if unknown:
            parser.error(f"unknown {name}(s) {sorted(unknown)}; choose from {', '.join(allowed)}")
    rows = []
    for preset in presets:
        for stage in stages:
            rows.append(run_child(args, preset, stage))
            print(f"{preset}/{stage}: done", file=sys.stderr)
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 1 if any("error" in r for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
