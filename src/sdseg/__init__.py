"""sdseg: single-step latent-diffusion segmentation (SDSeg, Lin et al., MICCAI 2024)."""

__version__ = "0.1.0"
