"""The frozen first stage's encoding of each distinct training mask, computed once per run.

A mask's encoder output is deterministic (for a KL first stage, the posterior's parameters; the
sample is still drawn every step), and with flips alone a training mask takes at most four forms,
so after the first epochs almost every mask in a batch was encoded before (87 % hits in a
2000-step 64² run). Measured on one CPU thread: +25 % steps/s for `tiny` at 64², +3 % for
`cpu128` at 128² (docs/RESULTS.md, thirteenth round). Masks are keyed by their bits, so
augmentation needs no bookkeeping; the trainer does not cache when augmentation warps masks,
since every warped mask is new. Hashing reads the masks on the host: on a GPU that adds no sync
the step does not already make (its logged losses are read with ``.item()``).
"""

from __future__ import annotations

import hashlib

import torch
from diffusers.models.modeling_utils import ModelMixin

from ..models.first_stage import encoder_output, mask_to_ae_input


class MaskEncodingCache:
    """``cache(masks)`` = ``encoder_output(vae, mask_to_ae_input(masks))``, encoding only unseen masks."""

    def __init__(self, vae: ModelMixin):
        self.vae = vae
        self._encoded: dict[bytes, torch.Tensor] = {}

    def __len__(self) -> int:
        return len(self._encoded)

    @torch.no_grad()
    def __call__(self, masks: torch.Tensor) -> torch.Tensor:
        bits = (masks > 0.5).cpu().numpy()
        keys = [hashlib.blake2b(item.tobytes(), digest_size=16).digest() for item in bits]
        unseen = {key: i for i, key in enumerate(keys) if key not in self._encoded}
        if unseen:
            encoded = encoder_output(self.vae, mask_to_ae_input(masks[list(unseen.values())]))
            self._encoded.update(zip(unseen, encoded))
        return torch.stack([self._encoded[key] for key in keys])
