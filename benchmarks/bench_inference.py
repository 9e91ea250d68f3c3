"""Inference speed of SDSeg: single step vs DDIM, batched vs per-image, full vs light decoder.

Every configuration runs on the same randomly initialised model (speed does not depend on
the weights) at one image size, default 256². Printed: a table of images/s and the ratios
the issue asks for; ``--json`` writes everything. FLOPs per image come from
``torch.utils.flop_counter``; on a GPU the achieved FLOP/s is also given as a fraction of a
measured bf16 matmul ceiling.

    python benchmarks/bench_inference.py --presets tiny,small --threads 2
    python benchmarks/bench_inference.py --presets paper --device cuda --precision bf16

"Per-image loop" mimics the official code's inference: one image at a time, fp32,
``torch.no_grad`` (not inference mode), NCHW memory, no batching.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import torch
from torch.utils.flop_counter import FlopCounterMode

from sdseg.config import load_preset
from sdseg.inference.engine import InferenceSettings
from sdseg.models import SDSegModel, build_autoencoder
from sdseg.models.first_stage import downsampling_factor
from sdseg.models.light_decoder import LightMaskDecoder


def build_model(preset_name: str, image_size: int) -> SDSegModel:
    preset = load_preset(preset_name, [f"image_size={image_size}"])
    torch.manual_seed(0)
    vae = build_autoencoder(preset.autoencoder, image_size)
    model = SDSegModel.from_preset(preset, vae)
    model.set_light_decoder(LightMaskDecoder(latent_channels=model.latent_channels,
                                             upsample_factor=downsampling_factor(vae)))
    return model.eval()


def synchronize(device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def images_per_second(run, images: int, device: str, min_seconds: float, warmup: int = 1) -> float:
    """Call ``run`` (which predicts ``images`` images) until ``min_seconds`` have passed, after ``warmup`` calls."""
    for _ in range(warmup):
        run()
    synchronize(device)
    calls, started = 0, time.perf_counter()
    while True:
        run()
        calls += 1
        synchronize(device)
        elapsed = time.perf_counter() - started
        if elapsed >= min_seconds:
            return calls * images / elapsed


def engine_run(model: SDSegModel, settings: InferenceSettings, batch: int, steps: int, decoder: str, size: int):
    image = settings.to_device(torch.rand(batch, 3, size, size) * 2 - 1)
    seeds = list(range(batch))

    def run():
        with torch.inference_mode(), settings.autocast():
            model.predict_proba(image, seeds, steps, decoder=decoder)
    return run


def per_image_loop_run(model: SDSegModel, device: str, images: int, steps: int, size: int):
    inputs = [torch.rand(1, 3, size, size, device=device) * 2 - 1 for _ in range(images)]

    def run():
        with torch.no_grad():
            for i, image in enumerate(inputs):
                model.predict_proba(image, [i], steps)
    return run


def flops_per_image(model: SDSegModel, size: int, device: str) -> dict[str, float]:
    """GFLOP of one single-step prediction, per component (matmul/conv FLOPs as torch counts them)."""
    image = torch.rand(1, 3, size, size, device=device) * 2 - 1
    parts = {}
    with torch.inference_mode():
        c = _counted(parts, "vision_encoder", lambda: model.denoiser.condition(image))
        noise = model.initial_noise([0]).to(device)
        z0 = _counted(parts, "unet", lambda: model.sample_latents(c, noise, 1))
        _counted(parts, "full_decoder", lambda: model.decode_probabilities(z0, "full"))
        _counted(parts, "light_decoder", lambda: model.decode_probabilities(z0, "light"))
    parts["total_full"] = parts["vision_encoder"] + parts["unet"] + parts["full_decoder"]
    parts["total_light"] = parts["vision_encoder"] + parts["unet"] + parts["light_decoder"]
    return parts


def _counted(parts: dict, name: str, fn):
    counter = FlopCounterMode(display=False)
    with counter:
        result = fn()
    parts[name] = counter.get_total_flops() / 1e9
    return result


def bf16_ceiling_tflops(device: str, n: int = 8192, repeats: int = 20) -> float:
    """Measured dense bf16 matmul throughput, the ceiling the model's FLOP/s is compared with."""
    a = torch.randn(n, n, device=device, dtype=torch.bfloat16)
    b = torch.randn(n, n, device=device, dtype=torch.bfloat16)
    for _ in range(3):
        a @ b
    synchronize(device)
    started = time.perf_counter()
    for _ in range(repeats):
        a @ b
    synchronize(device)
    return 2 * n**3 * repeats / (time.perf_counter() - started) / 1e12


def bench_preset(name: str, args: argparse.Namespace) -> dict:
    layout = {} if args.channels_last == "auto" else {"channels_last": args.channels_last == "on"}
    settings = InferenceSettings.for_device(args.device, precision=args.precision, compile=args.compile, **layout)
    model = settings.prepare(build_model(name, args.image_size))
    size = args.image_size
    rows = []
    for decoder in args.decoders:
        for batch in args.batch_sizes:
            for steps in args.steps:
                ips = images_per_second(engine_run(model, settings, batch, steps, decoder, size), batch,
                                        settings.device, args.min_seconds)
                rows.append({"mode": "engine", "decoder": decoder, "batch": batch, "steps": steps,
                             "images_per_second": ips})
                print(f"  {name}: {decoder} decoder, batch {batch}, {steps} step(s): {ips:.3f} images/s", flush=True)
    reference = build_model(name, size).to(settings.device)  # plain fp32 NCHW copy for the official-style loop
    loop_images = max(args.batch_sizes)
    ips = images_per_second(per_image_loop_run(reference, settings.device, loop_images, 1, size), loop_images,
                            settings.device, args.min_seconds, warmup=0)
    rows.append({"mode": "per_image_loop", "decoder": "full", "batch": 1, "steps": 1, "images_per_second": ips})
    print(f"  {name}: per-image fp32 loop, 1 step: {ips:.3f} images/s", flush=True)
    flops = flops_per_image(reference, size, settings.device)
    result = {"preset": name, "image_size": size, "settings": vars(settings), "rows": rows, "gflops_per_image": flops,
              "ratios": ratios(rows, args.batch_sizes)}
    if settings.on_gpu:
        ceiling = bf16_ceiling_tflops(settings.device)
        best = max((r for r in rows if r["mode"] == "engine" and r["steps"] == 1 and r["decoder"] == "full"),
                   key=lambda r: r["images_per_second"])
        achieved = best["images_per_second"] * flops["total_full"] / 1e3
        result["gpu"] = {"bf16_matmul_ceiling_tflops": ceiling, "achieved_tflops_single_step_full": achieved,
                         "fraction_of_ceiling": achieved / ceiling}
    return result


def ratios(rows: list[dict], batch_sizes: list[int]) -> dict[str, float]:
    """The issue's ratios, at every batch size measured (a CPU and a GPU favour different batches)."""
    def ips(**match) -> float | None:
        found = [r["images_per_second"] for r in rows if all(r.get(k) == v for k, v in match.items())]
        return found[0] if found else None

    wanted = {}
    for b in batch_sizes:
        one = {"mode": "engine", "batch": b, "steps": 1}
        wanted |= {
            f"b{b}_single_vs_ddim10_full": (ips(**one, decoder="full"), ips(**one | {"steps": 10}, decoder="full")),
            f"b{b}_single_vs_ddim50_full": (ips(**one, decoder="full"), ips(**one | {"steps": 50}, decoder="full")),
            f"b{b}_single_vs_ddim50_light": (ips(**one, decoder="light"),
                                             ips(**one | {"steps": 50}, decoder="light")),
            f"b{b}_single_light_vs_ddim50_full": (ips(**one, decoder="light"),
                                                  ips(**one | {"steps": 50}, decoder="full")),
            f"b{b}_light_vs_full_decoder": (ips(**one, decoder="light"), ips(**one, decoder="full")),
            f"b{b}_engine_vs_per_image_loop": (ips(**one, decoder="full"), ips(mode="per_image_loop")),
        }
    big, small = max(batch_sizes), min(batch_sizes)
    wanted[f"batch{big}_vs_batch{small}"] = (ips(mode="engine", decoder="full", batch=big, steps=1),
                                            ips(mode="engine", decoder="full", batch=small, steps=1))
    return {name: a / b for name, (a, b) in wanted.items() if a and b}


def print_tables(results: list[dict]) -> None:
    print("\n| preset | mode | decoder | batch | steps | images/s |\n|---|---|---|---|---|---|")
    for result in results:
        for r in result["rows"]:
            print(f"| {result['preset']} | {r['mode']} | {r['decoder']} | {r['batch']} | {r['steps']} | "
                  f"{r['images_per_second']:.3f} |")
    print("\n| preset | ratio | value |\n|---|---|---|")
    for result in results:
        for name, value in result["ratios"].items():
            print(f"| {result['preset']} | {name} | {value:.2f}× |")
    print("\n| preset | GFLOP/image: vision encoder | UNet (1 call) | full decoder | light decoder |\n|---|---|---|---|---|")
    for result in results:
        f = result["gflops_per_image"]
        print(f"| {result['preset']} | {f['vision_encoder']:.2f} | {f['unet']:.2f} | {f['full_decoder']:.2f} | "
              f"{f['light_decoder']:.3f} |")
        if "gpu" in result:
            g = result["gpu"]
            print(f"  GPU: {g['achieved_tflops_single_step_full']:.1f} TFLOP/s achieved, bf16 matmul ceiling "
                  f"{g['bf16_matmul_ceiling_tflops']:.0f} TFLOP/s -> {100 * g['fraction_of_ceiling']:.1f}%")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--presets", default="tiny,small", help="comma-separated: tiny, cpu128, small, paper")
    parser.add_argument("--image-size", type=int, default=256)
    parser.add_argument("--batch-sizes", default="1,32")
    parser.add_argument("--steps", default="1,10,50")
    parser.add_argument("--decoders", default="full,light")
    parser.add_argument("--device", default=None, help="default: cuda if available")
    parser.add_argument("--precision", choices=("fp32", "bf16", "fp16"), default=None, help="GPU autocast")
    parser.add_argument("--compile", action="store_true")
    parser.add_argument("--channels-last", choices=("auto", "on", "off"), default="auto",
                        help="memory layout of the engine runs (auto: channels-last on GPU only)")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    parser.add_argument("--min-seconds", type=float, default=3.0, help="time each configuration at least this long")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    args.batch_sizes = [int(b) for b in args.batch_sizes.split(",")]
    args.steps = [int(s) for s in args.steps.split(",")]
    args.decoders = args.decoders.split(",")
    if args.threads:
        torch.set_num_threads(args.threads)
    machine = {"platform": platform.platform(), "processor": platform.processor(), "threads": torch.get_num_threads(),
               "torch": torch.__version__,
               "gpu": torch.cuda.get_device_name() if torch.cuda.is_available() else None}
    print(f"machine: {machine}")
    results = [bench_preset(name, args) for name in args.presets.split(",")]
    print_tables(results)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"machine": machine, "args": {k: v for k, v in vars(args).items()
                                                                     if k != "json"}, "results": results},
                                        indent=2, default=str) + "\n")


if __name__ == "__main__":
    main()
