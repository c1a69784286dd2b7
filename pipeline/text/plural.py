"""Counts in words, for the messages a person reads."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """'1 story', '2 stories': a count with its noun in the right number."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"
