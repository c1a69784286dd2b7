"""What both forms of ``nlbrief check`` share: the request, the tally of what was checked, flagged and
malformed, the exit status it gives, and findings as the text report prints them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.checks.findings import Finding, flagged
from pipeline.errors import UnknownChoiceError
from pipeline.text.plural import counted

# --fail-on: "warning" makes a flagged pair or article exit 1, for a script that must stop on one.
FAIL_ON = ("never", "warning")


@dataclass(frozen=True, kw_only=True)
class CheckRequest:
    """What ``nlbrief check`` was asked: ``targets`` is ["pairs", FILE] or [DIR]."""

    targets: list[str]
    json: bool
    fail_on: str
    glossary: Path | None
    max_file_size: int


def fail_on_choice(value: str) -> str:
    if value not in FAIL_ON:
        raise UnknownChoiceError("--fail-on", value, FAIL_ON)
    return value


@dataclass
class Tally:
    """Counts for the summary line and the exit status; ``noun`` is what one item is ("pair")."""

    noun: str
    checked: int = 0
    flagged: int = 0
    errors: int = 0  # malformed lines, unreadable records: each already said on stderr
    kinds: Counter[str] = field(default_factory=Counter)  # warnings by kind

    def add(self, findings: Sequence[Finding]) -> None:
        self.checked += 1
        self.flagged += flagged(findings)
        self.kinds.update(f.kind.value for f in findings if f.warning)

    def exit_status(self, fail_on: str) -> int:
        """1 when an input could not be checked, or (``--fail-on warning``) when one was flagged."""
        return 1 if self.errors or (fail_on == "warning" and self.flagged) else 0

    def line(self, extra: Sequence[str] = (), error_noun: str = "malformed line") -> str:
        """The summary line: 3 pairs checked, 1 flagged (findings: 2 number, 1 name); 1 malformed line
        (see the error: lines)."""
        by_kind = ", ".join(f"{n} {kind}" for kind, n in sorted(self.kinds.items(), key=lambda kv: -kv[1]))
        line = f"{counted(self.checked, self.noun)} checked, {self.flagged} flagged"
        line += f" (findings: {by_kind})" if by_kind else ""
        parts = [line, *extra]
        if self.errors:
            parts.append(f"{counted(self.errors, error_noun)} (see the error: lines)")
        return "; ".join(parts)


def finding_line(finding: Finding, *, placed: bool = True) -> str:
    """One finding of the text report: "paragraph 2, sentence 1: number '12' ... is missing"; a note
    (which does not flag) says so."""
    note = "note: " if not finding.warning else ""
    where = f"{finding.where}: " if placed and finding.where else ""
    return f"  {where}{note}{finding.message}"


def shortened(text: str, limit: int = 100) -> str:
    """A text on one line, cut at ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
