"""Which training items an epoch draws: every item once, or one side -- the items showing foreground, or the empty
ones -- repeated a whole number of times, so that about a chosen share of the draws shows foreground.

Volumes need it because most of their slices are empty (nnU-Net forces foreground into a third of its patches; here
two thirds of the slices show it by default). 2D sets can need the other side: on PolypGen 8 % of the images hold no
polyp, and the model marks a polyp-sized false alarm on a quarter of those it trained on (docs/RESULTS.md,
sixty-fourth round), though drawing them twice or four times did not raise val Dice (sixty-fifth, sixty-sixth).
Repeating whole items keeps the seeded shuffle, and so resumption, as it is.
"""

from __future__ import annotations

from typing import Sequence, TypeVar

Item = TypeVar("Item")


def oversampled(items: Sequence[Item], has_foreground: Sequence[bool], fraction: float | None,
                at_least: bool = False) -> list[Item]:
    """``items`` with the side that falls short of ``fraction`` (the share of draws with foreground) repeated;
    ``None``, or a split without both kinds of item, leaves them as they are. ``at_least`` makes the share a floor,
    as nnU-Net's is: a split with more foreground is left alone. Empty items come first."""
    foreground = [item for item, fg in zip(items, has_foreground) if fg]
    empty = [item for item, fg in zip(items, has_foreground) if not fg]
    if fraction is None or not foreground or not empty:
        return list(items)
    if fraction >= len(foreground) / len(items) or at_least:
        return empty + foreground * max(1, round(fraction * len(empty) / ((1 - fraction) * len(foreground))))
    return empty * max(1, round((1 - fraction) * len(foreground) / (fraction * len(empty)))) + foreground
