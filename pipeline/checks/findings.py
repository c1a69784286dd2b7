"""What a check reports: one Finding per fact that did not survive.

A finding is data, not text: its kind, severity and where it was found, so that a caller can mark the
sentence or bullet, count findings by kind, or print them as JSON. Severity follows one rule: a known
English form or a difference of notation is no finding at all; a missing, changed or unsupported fact is
a warning; a form that is only probably the same (a name with a letter changed) is a note.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
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
    GLOSSARY = "glossary"  # a term of the user's glossary without one of its accepted renderings
    # Signs of a broken output, whatever the facts (pipeline/checks/signs.py):
    UNKNOWN = "unknown"  # the model wrote <unk>, which decoding drops without a trace
    LENGTH = "length"  # far shorter or longer than the source
    CUT_OFF = "cut off"  # the output ran into its length bound
    LOOP = "loop"  # a phrase repeated over and over


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

    @property
    def warning(self) -> bool:
        return self.severity is Severity.WARNING

    def at(self, where: str) -> Finding:
        """The same finding, placed (findings are made per sentence and placed by whoever knows where)."""
        return replace(self, where=where)

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


def warnings(findings: Iterable[Finding]) -> int:
    return sum(1 for f in findings if f.severity is Severity.WARNING)


def findings_to_json(findings: Iterable[Finding]) -> list[dict[str, str]]:
    return [f.to_dict() for f in findings]


def findings_from_json(data: object) -> list[Finding]:
    """Findings read back from JSON; anything that is not a finding is left out (a record edited by hand,
    or a kind a newer nlbrief added, must not stop a reader)."""
    found = []
    for item in data if isinstance(data, list) else []:
        try:
            found.append(Finding.from_dict(item))
        except (KeyError, ValueError, TypeError):
            continue
    return found
