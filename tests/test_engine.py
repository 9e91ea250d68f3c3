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


def test_mirroring_averages_the_four_flips_so_a_flipped_image_gets_the_flipped_mask(micro_model):
    torch.manual_seed(0)
    image = torch.rand(2, 3, micro_model.config.image_size, micro_model.config.image_size) * 2 - 1
    mirror, plain = InferenceSettings(mirror=True), InferenceSettings()
    seeds = [3, 4]
    views = [micro_model.predict_proba(image.flip(a), seeds).flip(a) for a in ((), (-1,), (-2,), (-2, -1))]
    averaged = mirror.soft_masks(micro_model, image, seeds)
    assert averaged.shape == (2, 1, *image.shape[-2:])
    assert torch.allclose(averaged, torch.stack(views).mean(0), atol=1e-6)
    assert torch.allclose(mirror.soft_masks(micro_model, image.flip(-1), seeds), averaged.flip(-1), atol=1e-5)
    assert torch.equal(plain.soft_masks(micro_model, image, seeds), views[0])
    assert mirror.output_options()["mirror"] and not plain.output_options()["mirror"]
