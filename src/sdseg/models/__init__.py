"""Models: the frozen first stage, the trainable vision encoder, and the SDSeg pipeline."""

from .first_stage import build_autoencoder, load_autoencoder
from .sdseg import SDSegConfig, SDSegDenoiser, SDSegModel
from .vision_encoder import VisionEncoder

__all__ = ["SDSegConfig", "SDSegDenoiser", "SDSegModel", "VisionEncoder", "build_autoencoder", "load_autoencoder"]
