"""How a trained model runs for prediction: what it computes (steps, seed, decoder) and how
(device, memory layout, precision, compilation, batch size, loader workers).

Prediction code asks ``InferenceSettings`` for a prepared model once and wraps every
batch in ``settings.autocast()``; the model's own code stays precision-agnostic. The
settings travel as one object, so prediction functions take them whole.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass

import torch

from ..models.sdseg import SDSegModel
from .ensemble import ModelEnsemble

PRECISIONS = {"fp32": None, "bf16": torch.bfloat16, "fp16": torch.float16}
# Test-time mirroring as nnU-Net does it in 2D: the image, flipped left-right, up-down, and both.
MIRROR_AXES = ((), (-1,), (-2,), (-2, -1))


@dataclass
class InferenceSettings:
    """``precision`` applies through autocast on GPUs only: on the 2-core AVX2 CPU, bf16 autocast ran
    the tiny preset about 10x slower than fp32 (docs/PERFORMANCE.md).

    Channels-last suits GPU convolutions (tensor cores); on the 2-core CPU it changed the tiny and
    small presets' speed by under 5% either way (docs/PERFORMANCE.md), so it is a GPU default only.
    """

    steps: int = 1
    seed: int = 0  # input i uses seed + i
    decoder: str = "full"
    batch_size: int = 8
    num_workers: int = 0
    device: str = "cpu"
    precision: str = "fp32"
    channels_last: bool = False
    compile: bool = False
    mirror: bool = False  # average the soft masks of the image and its three flips (4x the work)

    @classmethod
    def for_device(cls, device: str | None = None, **kwargs) -> "InferenceSettings":
        """Default to CUDA when there is one, and to bf16 and channels-last there."""
        device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        on_gpu = device.startswith("cuda")
        if kwargs.get("precision") is None:
            kwargs["precision"] = "bf16" if on_gpu else "fp32"
        kwargs.setdefault("channels_last", on_gpu)
        return cls(device=device, **kwargs)

    @classmethod
    def of_model(cls, model: SDSegModel | ModelEnsemble, **kwargs) -> "InferenceSettings":
        """Plain fp32 on whatever device the model already is: for callers that prepared it themselves."""
        return cls(device=str(next(model.parameters()).device), **kwargs)

    @property
    def on_gpu(self) -> bool:
        return self.device.startswith("cuda")

    @property
    def label(self) -> str:
        """For progress bars: ``predict (1 step)``."""
        return f"predict ({self.steps} step{'s' * (self.steps > 1)})"

    def output_options(self) -> dict:
        """The options that change what is predicted; batch size, workers, layout and device do not."""
        return {"steps": self.steps, "seed": self.seed, "decoder": self.decoder,
                "precision": self.precision if self.on_gpu else "fp32", "mirror": self.mirror}

    def soft_masks(self, model: SDSegModel | ModelEnsemble, image: torch.Tensor, seeds: list[int]) -> torch.Tensor:
        """``model.predict_proba`` with these settings, mirrored if asked; every view starts from the
        item's own noise, so a mirrored prediction stays seeded."""
        return mirrored(lambda view: model.predict_proba(view, seeds, self.steps, self.decoder), image, self.mirror)

    def prepare(self, model: SDSegModel) -> SDSegModel:
        """Move the model, switch to channels-last convolutions, and compile its UNet if asked."""
        model = model.to(self.device).eval()
        if self.channels_last:
            model = model.to(memory_format=torch.channels_last)
        if self.compile:
            model.denoiser.unet = torch.compile(model.denoiser.unet, mode="max-autotune-no-cudagraphs")
        return model

    def autocast(self) -> contextlib.AbstractContextManager:
        dtype = PRECISIONS[self.precision]
        if dtype is None or not self.on_gpu:
            return contextlib.nullcontext()
        return torch.autocast("cuda", dtype=dtype)

    def to_device(self, tensor: torch.Tensor) -> torch.Tensor:
        """Non-blocking copy (inputs come from pinned memory on GPU) in the model's memory layout."""
        tensor = tensor.to(self.device, non_blocking=True)
        return tensor.contiguous(memory_format=torch.channels_last) if self.channels_last else tensor


def mirrored(predict: Callable[[torch.Tensor], torch.Tensor], image: torch.Tensor, mirror: bool = True) -> torch.Tensor:
    """``predict(image)``, or with ``mirror`` the mean of ``predict`` over the image and its flips, each
    flipped back: any segmenter's soft masks (B, K, H, W) with nnU-Net's test-time mirroring."""
    if not mirror:
        return predict(image)  # flip(()) would copy the batch and its masks for nothing
    return sum(predict(image.flip(axes)).flip(axes) for axes in MIRROR_AXES) / len(MIRROR_AXES)
