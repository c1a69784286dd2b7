"""Cutting a sentence that is too long for the model into parts that fit, never truncating it.

At clause boundaries first, then commas, then spaces, and as a last resort inside a word (a URL, a
hash). The parts are translated one by one and joined by the translator; every such split is reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from pipeline.text.packing import pack

# Cut points, coarsest first. Whitespace at a cut is dropped; parts are rejoined with one space.
SPLIT_LEVELS = (
    re.compile(r"(?<=[;:])\s+|\s+(?=[–—]\s)"),
    re.compile(r"(?<=,)\s+"),
    re.compile(r"\s+"),
)
# Pieces encoded per call when counting the tokens of a long sentence's pieces (bounds memory).
PIECES_PER_ENCODE = 4096

Encode = Callable[[Sequence[str]], list[list[int]]]


def clauses(text: str) -> list[str]:
    """``text`` cut at its coarsest clause boundary (semicolons and dashes, else commas); one piece when
    it has none. The translator's second try at a flagged sentence translates these one by one."""
    for level in SPLIT_LEVELS[:2]:
        pieces = [p for p in level.split(text) if p]
        if len(pieces) > 1:
            return pieces
    return [text]


class Splitter:
    """Splits texts for a model whose inputs may hold at most ``limit`` tokens (``encode`` counts them,
    the closing </s> included)."""

    def __init__(self, encode: Encode, limit: int) -> None:
        self.encode = encode
        self.limit = limit

    def split_to_fit(self, text: str, level: int = 0) -> list[str]:
        """Cut ``text`` into parts that each fit the model, at the coarsest boundary that works."""
        if self._fits(text):
            return [text]
        return self.split_too_long(text, level)

    def split_too_long(self, text: str, level: int = 0) -> list[str]:
        # Known not to fit: checking again would encode the whole text once more per level,
        # which on a paragraph of megabytes is most of the work.
        while level < len(SPLIT_LEVELS):
            pieces = [p for p in SPLIT_LEVELS[level].split(text) if p]
            if len(pieces) > 1:
                break
            level += 1
        else:
            return self._split_inside_word(text)
        # Pack neighbours greedily by their token counts (nearly additive), then check each chunk.
        result: list[str] = []
        for chunk in pack(pieces, self._piece_tokens(pieces), self.limit - 2):
            joined = " ".join(chunk)
            if self._fits(joined):
                result.append(joined)
            elif len(chunk) > 1:
                half = len(chunk) // 2
                result += self.split_to_fit(" ".join(chunk[:half]), level)
                result += self.split_to_fit(" ".join(chunk[half:]), level)
            else:
                result += self.split_too_long(joined, level + 1)
        return result

    def _piece_tokens(self, pieces: list[str]) -> list[int]:
        """Token counts of ``pieces`` without their </s>, encoded a slice at a time: a paragraph of a
        million words must not become a million token lists in memory at once."""
        counts: list[int] = []
        for start in range(0, len(pieces), PIECES_PER_ENCODE):
            counts += [len(ids) - 1 for ids in self.encode(pieces[start : start + PIECES_PER_ENCODE])]
        return counts

    def _fits(self, text: str) -> bool:
        return len(self.encode([text])[0]) <= self.limit

    def _split_inside_word(self, text: str) -> list[str]:
        """A single token longer than the limit (a URL, a hash): cut it by characters.

        Each part is the longest prefix that fits. The search looks at windows that double from
        a small start, never at the whole rest: encoding the rest for every part would make a
        megabyte without spaces quadratic.
        """
        parts: list[str] = []
        rest = text
        while rest:
            fitting, window = 1, min(len(rest), 4 * self.limit)
            while self._fits(rest[:window]):
                if window == len(rest):
                    parts.append(rest)
                    return parts
                fitting, window = window, min(len(rest), 2 * window)
            low, high = fitting, window - 1
            while low < high:  # the longest prefix that fits, between one that does and one that does not
                mid = (low + high + 1) // 2
                if self._fits(rest[:mid]):
                    low = mid
                else:
                    high = mid - 1
            parts.append(rest[:low])
            rest = rest[low:]
        return parts
