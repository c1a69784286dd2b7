"""What a check reports: one Finding per fact that did not survive.

A finding is data, not text: its kind, severity and where it was found, so that a caller can mark the
sentence or bullet, count findings by kind, or print them as JSON. Severity follows one rule: a known
English form or a difference of notation is no finding at all; a missing, changed or unsupported fact is
a warning; a form that is only probably the same (a name with a letter changed) is a note.
"""

from __future__ import annotations

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


def flagged(findings: Iterable[Finding]) -> bool:
    """Flagged: at least one warning (notes alone do not flag)."""
    return any(f.severity is Severity.WARNING for f in findings)
