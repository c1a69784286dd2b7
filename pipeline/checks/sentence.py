"""One translated sentence held against its source: the facts both ways, and the signs of a broken output.

This is what the translator runs on every sentence it generates, what ``nlbrief check pairs`` runs on a
pair a user already has, and what bench/faithfulness.py measures.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.checks.compare import check_translation
from pipeline.checks.findings import Finding
from pipeline.checks.signs import model_findings, output_findings
from pipeline.checks.warm import wait_for_tables


def check_text(source: str, output: str, pieces: Sequence[tuple[str, str]] = ()) -> list[Finding]:
    """A translated sentence checked again from its text alone, as the translator checked it: part by
    part when it was cut into parts (``pieces``: each part's source and translation), else whole. What
    only the model's raw output showed (<unk>, the length bound) is not in the text: keep it from before."""
    if pieces:
        return [finding for part, translated in pieces for finding in check_sentence(part, translated)]
    return check_sentence(source, output)


def check_sentence(source: str, output: str, *, unknown: int = 0, cut_off: bool = False) -> list[Finding]:
    """Findings of ``output`` as the English of the Dutch ``source``; ``unknown`` and ``cut_off`` are
    what only the model's raw output shows (<unk> tokens written, the length bound reached)."""
    wait_for_tables()
    return [
        *model_findings(unknown, cut_off),
        *output_findings(source, output),
        *check_translation(source, output),
    ]
