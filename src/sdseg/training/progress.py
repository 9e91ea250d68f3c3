"""Training curves a user can look at: ``progress.png`` in the run folder, and accelerate's trackers.

Answering "has it converged?" should not need a plotting script. The per-step scalars
(losses, learning rate) are kept in the train state, which every checkpoint saves, so a
resumed run continues the same curves. The record stays small however long the run: once
it holds ``MAX_POINTS`` points, neighbours are merged (averaged) and later steps are
recorded in blocks of the doubled length.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..errors import ConfigError
from ..io_utils import atomic_path

MAX_POINTS = 4096
PROGRESS_FILE = "progress.png"
LR = "lr"
GRAD_NORM = "grad_norm"  # drawn beside the learning rate: its growth is what precedes a divergence
VAL_METRIC = "val_dice"


def record(curves: dict, step: int, scalars: dict[str, float]) -> None:
    """Add one optimizer step's scalars to ``curves``, a plain dict so that it checkpoints as it is."""
    stride = curves.setdefault("stride", 1)
    pending = curves.setdefault("pending", {})
    for name, value in scalars.items():
        pending[name] = pending.get(name, 0.0) + value
    curves["pending_steps"] = count = curves.get("pending_steps", 0) + 1
    if count < stride:
        return
    points = curves.setdefault("points", {"step": []})
    done = len(points["step"])
    points["step"].append(step)
    names = [name for name in points if name != "step"] + [name for name in pending if name not in points]
    for name in names:  # a term missing on either side reads as NaN
        points.setdefault(name, [math.nan] * done).append(pending.get(name, math.nan) / count)
    pending.clear()
    curves["pending_steps"] = 0
    if len(points["step"]) >= MAX_POINTS:
        for name, values in points.items():
            points[name] = values[1::2] if name == "step" else [(a + b) / 2 for a, b in zip(values[::2], values[1::2])]
        curves["stride"] = stride * 2


def smooth(values: list[float]) -> np.ndarray:
    """An exponential moving average spanning about a fiftieth of the curve, NaNs skipped."""
    alpha = min(1.0, 50 / max(len(values), 1))
    out, level = np.empty(len(values)), math.nan
    for i, value in enumerate(values):
        if not math.isnan(value):
            level = value if math.isnan(level) else level + alpha * (value - level)
        out[i] = level
    return out


def draw_progress(path: Path, curves: dict, history: list[dict], title: str) -> None:
    """Losses (raw and smoothed), learning rate (and gradient norm, if recorded) against the step, and the
    validation score with its best step marked; written atomically so a viewer never sees half a picture."""
    from matplotlib.figure import Figure  # noqa: PLC0415 - only when a run validates; keeps the CLI light

    figure = Figure(figsize=(13, 3.6), layout="constrained")
    figure.suptitle(title)
    ax_loss, ax_lr, ax_val = figure.subplots(1, 3)
    points = curves.get("points", {"step": []})
    steps = points["step"]
    losses = [name for name in points if name not in ("step", LR, GRAD_NORM)]
    for i, name in enumerate(losses):
        ax_loss.plot(steps, points[name], color=f"C{i}", alpha=0.3, linewidth=0.8)
        ax_loss.plot(steps, smooth(points[name]), color=f"C{i}", linewidth=1.8, label=f"{name} (smoothed)")
    if losses and all(v > 0 for name in losses for v in points[name] if not math.isnan(v)):
        ax_loss.set_yscale("log")
    ax_loss.set(title="training losses", xlabel="step")
    if losses:
        ax_loss.legend(fontsize="small")
    ax_lr.plot(steps, points.get(LR, [math.nan] * len(steps)), color="C7")
    ax_lr.set(title="learning rate", xlabel="step")
    ax_lr.ticklabel_format(axis="y", style="sci", scilimits=(-2, 3))
    if GRAD_NORM in points:
        ax_norm = ax_lr.twinx()
        ax_norm.plot(steps, smooth(points[GRAD_NORM]), color="C1", linewidth=1.2)
        ax_norm.set_yscale("log")
        ax_norm.set_ylabel("gradient norm before clipping (smoothed)", color="C1")
        ax_lr.set_title("learning rate and gradient norm")
    val_steps, scores = [h["step"] for h in history], [h[VAL_METRIC] for h in history]
    ax_val.plot(val_steps, scores, marker="o", color="C2")
    if scores:
        best = int(np.argmax(scores))
        ax_val.plot(val_steps[best], scores[best], marker="*", markersize=16, color="C3", linestyle="none",
                    label=f"best {scores[best]:.4f} at step {val_steps[best]}")
        ax_val.legend(fontsize="small", loc="lower right")
    ax_val.set(title="validation Dice", xlabel="step")
    for ax in (ax_loss, ax_lr, ax_val):
        ax.grid(alpha=0.3)
    with atomic_path(path) as tmp:
        figure.savefig(tmp, format="png", dpi=90)


def check_trackers(names: list[str]) -> list[str]:
    """``names`` if accelerate knows each tracker and its package is installed, else a ConfigError naming it."""
    from accelerate.tracking import LOGGER_TYPE_TO_CLASS, get_available_trackers  # noqa: PLC0415

    available = {str(tracker) for tracker in get_available_trackers()}
    for name in names:
        if name not in LOGGER_TYPE_TO_CLASS:
            raise ConfigError(f"--log-with {name}: unknown tracker; use one of {', '.join(sorted(LOGGER_TYPE_TO_CLASS))}")
        if name not in available:
            raise ConfigError(f"--log-with {name}: the {name} package is not installed; install it in this "
                              f"environment (pip install {name}) -- sdseg installs no tracker itself")
    return list(names)
