"""The report's distribution plots: how Dice and HD95 spread over the cases, per class.

A mean hides whether a model fails on a few cases or is mediocre on all; the spread shows it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .cases import Case


def draw_distributions(path: Path, cases: list[Case], classes: list[str], names: dict[str, str], unit: str) -> None:
    """Per class, Dice and HD95 over the cases as boxes with every case a dot, and a histogram of the case Dice."""
    from matplotlib.figure import Figure  # noqa: PLC0415 - matplotlib's import is slow; only the report needs it

    figure = Figure(figsize=(13, 3.6), layout="constrained")
    ax_dice, ax_hd, ax_hist = figure.subplots(1, 3)
    rng = np.random.default_rng(0)
    for ax, metric, title in ((ax_dice, "dice", "Dice per case"), (ax_hd, "hd95", f"HD95 per case ({unit})")):
        columns = [np.array([c.metrics[k][metric] for c in cases if c.metrics[k][metric] is not None], float)
                   for k in classes]
        ax.boxplot(columns, showfliers=False, widths=0.5)
        ax.set_xticks(range(1, len(classes) + 1), [names[k] for k in classes])
        for i, values in enumerate(columns, start=1):
            ax.plot(i + rng.uniform(-0.18, 0.18, len(values)), values, ".", alpha=0.35, color=f"C{i - 1}")
        ax.set_title(title)
        ax.grid(alpha=0.3, axis="y")
    ax_hist.hist([c.dice for c in cases], bins=np.linspace(0, 1, 21), color="C0", edgecolor="white")
    ax_hist.set(title="mean Dice over classes, cases per bin", xlabel="Dice", ylabel="cases")
    figure.savefig(path, format="png", dpi=80)
