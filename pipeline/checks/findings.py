"""What a check reports: one Finding per fact that did not survive, or per sign of a broken output.

A finding is data, not text: the record keeps its kind, severity and where it was found, so a page can
mark the sentence or bullet, a report can count findings by kind, and ``nlbrief check`` can print them
as JSON. Severity follows one rule: a known English form or a difference of notation is no finding at
all; a missing, changed or unsupported fact is a warning; a sign that may be harmless is a note.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    NOTE = "note"  # worth a look, not counted as a flag
    WARNING = "warning"  # a fact the reader may act on is missing, changed or unsupported


class Kind(StrEnum):
    NUMBER = "number"
    AMOUNT = "amount"  # a number with a currency
    PERCENT = "percent"
    DATE = "date"  # a month or weekday
    TIME = "time"  # a time of day
    NAME = "name"
    GLOSSARY = "glossary"  # a term of the user's glossary rendered otherwise
    UNKNOWN_TOKEN = "unknown-token"  # the model produced <unk>, which decoding drops
    LENGTH = "length"  # far shorter or longer than the source
    LENGTH_BOUND = "length-bound"  # generation stopped at its token bound
    LOOP = "loop"  # a repeated n-gram
    MODEL_ERROR = "model-error"  # the model failed on this input


# The kinds that are facts of the text (the others are signs of a broken output).
FACT_KINDS = frozenset(
    {Kind.NUMBER, Kind.AMOUNT, Kind.PERCENT, Kind.DATE, Kind.TIME, Kind.NAME, Kind.GLOSSARY}
)


@dataclass(frozen=True)
class Finding:
    """``text``: the fact as written (in the source when it went missing, else in the output);
    ``where``: the place in the output, e.g. "paragraph 2, sentence 1" or "bullet 3"."""

    kind: Kind
    severity: Severity
    text: str
    message: str
    where: str = ""

    def to_dict(self) -> dict[str, str]:
        return {key: str(value) for key, value in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Finding:
        return cls(
            kind=Kind(str(data["kind"])),
            severity=Severity(str(data["severity"])),
            text=str(data.get("text", "")),
            message=str(data.get("message", "")),
            where=str(data.get("where", "")),
        )

    def at(self, where: str) -> Finding:
        return dataclasses.replace(self, where=where)


def warnings_of(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.WARNING]


def flagged(findings: Iterable[Finding]) -> bool:
    """Flagged: at least one warning (notes alone do not flag)."""
    return any(f.severity is Severity.WARNING for f in findings)
