"""One translated sentence held against its source: the facts both ways, and the signs of a broken output.

This is what the translator runs on every sentence it generates, what ``nlbrief check pairs`` runs on a
pair a user already has, and what bench/faithfulness.py measures.
"""

from __future__ import annotations

from pipeline.checks.compare import check_translation
from pipeline.checks.findings import Finding
from pipeline.checks.signs import model_findings, output_findings


def check_sentence(source: str, output: str, *, unknown: int = 0, cut_off: bool = False) -> list[Finding]:
    """Findings of ``output`` as the English of the Dutch ``source``; ``unknown`` and ``cut_off`` are
    what only the model's raw output shows (<unk> tokens written, the length bound reached)."""
    return [
        *model_findings(unknown, cut_off),
        *output_findings(source, output),
        *check_translation(source, output),
    ]
