"""Inference settings: defaults per device, and the same masks whatever the layout and batch size."""

import torch

from sdseg.inference.engine import InferenceSettings
from sdseg.inference.predictor import iter_probabilities


def test_cpu_defaults_are_fp32_nchw_without_autocast():
    settings = InferenceSettings.for_device("cpu")
    assert (settings.precision, settings.channels_last, settings.on_gpu) == ("fp32", False, False)
    assert not isinstance(settings.autocast(), torch.autocast)
    gpu = InferenceSettings.for_device("cuda:1")
    assert (gpu.precision, gpu.channels_last, gpu.on_gpu) == ("bf16", True, True)
    assert InferenceSettings.for_device("cuda", precision="fp16", channels_last=False).channels_last is False


def test_channels_last_and_batch_size_do_not_change_the_probabilities(micro_model, disc_dataset):
    paths = sorted((disc_dataset / "images").glob("*.png"))[:5]
    plain = dict(iter_probabilities(micro_model, paths, InferenceSettings(batch_size=1)))
    settings = InferenceSettings(channels_last=True, batch_size=4, num_workers=1)
    prepared = settings.prepare(micro_model)
    assert prepared.denoiser.unet.conv_in.weight.is_contiguous(memory_format=torch.channels_last)
    streamed = dict(iter_probabilities(prepared, paths, settings))
    assert plain.keys() == streamed.keys()
    for i in plain:
        assert torch.allclose(plain[i], streamed[i], atol=1e-4)
