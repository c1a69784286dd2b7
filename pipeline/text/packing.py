"""Packing items, in order, into groups under a budget: how texts are cut into model-sized pieces.

The translator packs the pieces of a sentence too long for the model, the summarizer the
paragraphs of an article too long for one prompt; both keep the order and fill each group
greedily, so both use :func:`pack`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def pack(items: Sequence[T], sizes: Sequence[int], budget: int) -> list[list[T]]:
    """``items`` in order, in consecutive groups whose ``sizes`` add up to at most ``budget``.

    ``sizes[i]`` is what ``items[i]`` costs (for nlbrief, a token count) and ``budget`` what one
    group may cost in all. A group is closed when the next item would take it over the budget; an
    item that alone costs more than the budget gets a group of its own (a caller that needs it to
    fit cuts it further). No group is empty; no items give no groups. ``items`` and ``sizes`` of
    unequal length are a ValueError.
    """
    groups: list[list[T]] = []
    used = 0
    for item, size in zip(items, sizes, strict=True):
        if not groups or used + size > budget:
            groups.append([])
            used = 0
        groups[-1].append(item)
        used += size
    return groups
