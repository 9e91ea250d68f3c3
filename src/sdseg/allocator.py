"""Keep freed tensor memory in the process, so CPU training does not pay the kernel for it each step.

A training step frees and re-allocates the same large activation buffers every time. With its
defaults, glibc's malloc hands large freed blocks back to the kernel (those it served by mmap,
and the top of the heap beyond its trim threshold), so the next step page-faults and zero-fills
the same memory again. Raising the two thresholds keeps those blocks for reuse (freed memory is
kept by the process instead of returned; its effect on resident memory was not measured). On a cpu128 training step this cut the kernel's time from
19.5 s to 2.6 s per 60 steps and the step by 16 % (docs/PERFORMANCE.md, benchmarks/bench_allocator.py).
"""

from __future__ import annotations

import ctypes
import os
import sys

# mallopt's parameter numbers (malloc.h) and the values set: mmap only for blocks over 1 GiB, never trim
M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD = -1, -2, -3
SETTINGS = {M_MMAP_THRESHOLD: 2**30, M_TRIM_THRESHOLD: 2**31 - 1, M_TOP_PAD: 2**28}
# a user's own glibc tuning, or SDSEG_KEEP_FREED_MEMORY=0, leaves malloc as it is
USER_SETTINGS = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_")


def keep_freed_memory() -> bool:
    """Raise glibc's mmap and trim thresholds for this process; False where that does not apply
    (not Linux, not glibc, the user's own ``MALLOC_*`` settings, or ``SDSEG_KEEP_FREED_MEMORY=0``)."""
    if not sys.platform.startswith("linux") or os.environ.get("SDSEG_KEEP_FREED_MEMORY", "1") == "0":
        return False
    if any(name in os.environ for name in USER_SETTINGS):
        return False
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):  # musl and others: no mallopt, nothing to tune
        return False
    return all([mallopt(param, value) == 1 for param, value in SETTINGS.items()])
