"""Models: the frozen first stage, the trainable vision encoder, and the SDSeg pipeline."""

from .first_stage import build_autoencoder, load_autoencoder
from .sdseg import SDSegConfig, SDSegDenoiser, SDSegModel
from .taef2 import TAEF2Autoencoder, TinyEncoder
from .vision_encoder import VisionEncoder, vision_encoder_for

__all__ = ["SDSegConfig", "SDSegDenoiser", "SDSegModel", "TAEF2Autoencoder", "TinyEncoder", "VisionEncoder",
           "build_autoencoder", "load_autoencoder", "vision_encoder_for"]
