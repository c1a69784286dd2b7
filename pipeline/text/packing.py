"""Packing items, in order, into groups under a budget: how texts are cut into model-sized pieces.

The translator packs the pieces of a sentence too long for the model, the summarizer the
paragraphs of an article too long for one prompt; both keep the order and fill each group
greedily, so both use :func:`pack`. The summary stage shares a wave's articles out into the fewest
groups of even size (:func:`even_groups`).
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


def even_groups(items: Sequence[T], most: int) -> list[list[T]]:
    """``items`` in order, in the fewest groups of at most ``most``, their sizes as even as can be: a
    group's decoding takes about as long for 3 articles as for 8, so 20 articles go as 7, 7, 6 rather
    than 8, 8, 4, each group padding fewer rows to its longest."""
    count = -(-len(items) // max(1, most))
    sizes = [len(items) // count + (i < len(items) % count) for i in range(count)] if items else []
    starts = [sum(sizes[:i]) for i in range(len(sizes))]
    return [list(items[start : start + size]) for start, size in zip(starts, sizes, strict=True)]
