"""Where an SDSeg training step's time goes: forward + backward of the vision encoder (on the image, at full
resolution) and of the UNet (on the latents), each alone, at a preset's batch and image size, one thread by
default. With ``training.vision_encoder_frozen_levels`` N the encoder's first N levels get no gradient, so the
backward pass stops above them: the figures say what freezing them saves before any run is spent on it.
``--set`` changes the preset as training's does, e.g. a narrower vision encoder.

    python benchmarks/bench_step_parts.py --preset cpu128 --json parts.json
    python benchmarks/bench_step_parts.py --set 'vision_encoder={"block_out_channels":[16,64,128,128]}'
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch

from sdseg.config import load_preset
from sdseg.models import SDSegModel, build_autoencoder


def seconds_per_call(action, repeats: int) -> float:
    action()  # warm-up: allocations, oneDNN primitive creation
    started = time.perf_counter()
    for _ in range(repeats):
        action()
    return (time.perf_counter() - started) / repeats


def step_parts(preset_name: str, repeats: int, frozen_levels: tuple[int, ...], overrides: list[str]) -> dict:
    preset = load_preset(preset_name, overrides)
    size, batch = preset.image_size, preset.training.batch_size
    model = SDSegModel.from_preset(preset, build_autoencoder(preset.autoencoder, size))
    encoder, unet = model.denoiser.vision_encoder, model.denoiser.unet
    image = torch.randn(batch, 3, size, size)
    first_stage = model.vae.config
    latent = size // 2 ** (len(first_stage.block_out_channels) - 1)
    z = torch.randn(batch, 2 * first_stage.latent_channels, latent, latent)  # concat(z_t, c)
    t = torch.full((batch,), preset.scheduler["num_train_timesteps"] - 1)
    result = {
        "preset": preset_name, "overrides": overrides, "image_size": size, "batch_size": batch,
        "threads": torch.get_num_threads(),
        "repeats": repeats, "torch": torch.__version__, "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "unet_forward_backward_s": seconds_per_call(lambda: unet(z, t).sample.sum().backward(), repeats),
        "unet_forward_s": seconds_per_call(lambda: unet(z, t), repeats),
        "vision_encoder_forward_s": seconds_per_call(lambda: encoder(image), repeats),
        "vision_encoder_forward_backward_s": {},
    }
    for levels in frozen_levels:
        frozen = {id(p) for p in encoder.first_levels(levels).parameters()}
        for p in encoder.parameters():
            p.requires_grad_(id(p) not in frozen)
        result["vision_encoder_forward_backward_s"][f"{levels}_levels_frozen"] = seconds_per_call(
            lambda: encoder(image).sum().backward(), repeats)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--preset", default="cpu128")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--frozen-levels", type=int, nargs="+", default=(0, 1, 2))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="preset override")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    result = step_parts(args.preset, args.repeats, tuple(args.frozen_levels), args.set)
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
