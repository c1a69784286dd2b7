"""Warnings of one kind, bounded: a file with thousands of long sentences gets one line, not thousands.

Two warnings are of one kind when they differ only in their numbers ("paragraph 3: a sentence of
812 tokens..." and "paragraph 9: a sentence of 640 tokens..."). The manifest keeps the first few
of each kind and how many there were; stderr gets one line per kind that had more than that. The
output itself (the JSON record, ``--format json``) keeps every warning.
"""

from __future__ import annotations

import re

# Enough to show what a kind of warning is about and where it starts.
EXAMPLES = 3

_NUMBER = re.compile(r"\d+")


def warning_kind(warning: str) -> str:
    return _NUMBER.sub("#", warning)


def bound_warnings(warnings: list[str]) -> tuple[list[str], dict[str, int]]:
    """(kept, counts): at most EXAMPLES warnings of each kind, kinds in order of first appearance;
    and, for each kind that had more, its first warning and how many of that kind there were."""
    kinds: dict[str, list[str]] = {}
    totals: dict[str, int] = {}
    for warning in warnings:
        kind = warning_kind(warning)
        examples = kinds.setdefault(kind, [])
        if len(examples) < EXAMPLES:
            examples.append(warning)
        totals[kind] = totals.get(kind, 0) + 1
    kept = [warning for examples in kinds.values() for warning in examples]
    counts = {examples[0]: totals[kind] for kind, examples in kinds.items() if totals[kind] > EXAMPLES}
    return kept, counts


def warning_lines(kept: list[str], counts: dict[str, int]) -> list[str]:
    """What ``bound_warnings`` kept, as lines for a person: each warning of a small kind, and one
    line with the count for a kind that had more than EXAMPLES."""
    crowded = {warning_kind(first): total for first, total in counts.items()}
    lines, shown = [], set()
    for warning in kept:
        kind = warning_kind(warning)
        if kind not in crowded:
            lines.append(warning)
        elif kind not in shown:
            shown.add(kind)
            more = crowded[kind] - 1
            lines.append(f"{warning} (and {more:,} more like it; the first {EXAMPLES} are in the manifest)")
    return lines
