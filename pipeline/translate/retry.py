"""A second try at a sentence whose translation has a finding, and the record of both tries.

The second try is different in kind, not a repeat: a sentence with clause boundaries is translated
clause by clause (a small model drops or garbles facts in long segments), one without them with another
beam setting. The candidate with fewer warnings is kept (the first on a tie) and both are recorded.

A retry costs a second translation of the sentence, so a batch retries at most one sentence in ten of
those it translated, the most flagged first; the rest keep their findings, and the document says how
many were not retried. A model that flags nearly everything (a broken or random one) then costs a tenth
more, not double.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.checks.findings import Finding, findings_from_json, findings_to_json, warnings
from pipeline.translate.splitting import clauses

RETRY_SHARE = 0.1
GREEDY_BEAMS = 1
SEARCH_BEAMS = 4


@dataclass(frozen=True)
class Candidate:
    target: str
    findings: tuple[Finding, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"translation": self.target, "findings": findings_to_json(self.findings)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Candidate:
        return cls(str(data.get("translation", "")), tuple(findings_from_json(data.get("findings"))))


@dataclass(frozen=True)
class Retry:
    """Both tries at one sentence: ``how`` the second was made, and which was kept."""

    how: str
    first: Candidate
    second: Candidate
    kept_second: bool

    @property
    def kept(self) -> Candidate:
        return self.second if self.kept_second else self.first

    def to_dict(self) -> dict[str, Any]:
        return {
            "how": self.how,
            "kept": "second" if self.kept_second else "first",
            "first": self.first.to_dict(),
            "second": self.second.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: object) -> Retry | None:
        if not isinstance(data, dict) or not isinstance(data.get("first"), dict):
            return None
        second = data.get("second")
        return cls(
            str(data.get("how", "")),
            Candidate.from_dict(data["first"]),
            Candidate.from_dict(second if isinstance(second, dict) else {}),
            data.get("kept") == "second",
        )


@dataclass(frozen=True)
class RetryPlan:
    """How one flagged sentence is tried again: its clauses at the usual beams, or whole at ``beams``."""

    text: str
    pieces: list[str]
    beams: int | None  # None: the translator's own setting
    how: str


def budget(translated: int, share: float = RETRY_SHARE) -> int:
    """How many of ``translated`` fresh sentences may be tried a second time."""
    return math.ceil(share * translated)


def plan(text: str, beams: int) -> RetryPlan:
    pieces = clauses(text)
    if len(pieces) > 1:
        return RetryPlan(text, pieces, None, f"translated again clause by clause ({len(pieces)} parts)")
    other = GREEDY_BEAMS if beams > GREEDY_BEAMS else SEARCH_BEAMS
    return RetryPlan(
        text, [text], other, f"translated again with {other} beam{'s' * (other > 1)} instead of {beams}"
    )


def choose(flagged: Sequence[tuple[str, Sequence[Finding]]], allowed: int) -> tuple[list[str], int]:
    """(the sentences to retry, the most flagged first; how many flagged ones the budget leaves out)."""
    ordered = sorted(flagged, key=lambda item: -warnings(item[1]))
    return [text for text, _ in ordered[:allowed]], max(0, len(ordered) - allowed)


def keep(how: str, first: Candidate, second: Candidate) -> Retry:
    """The second try is kept only when it has fewer warnings than the first."""
    return Retry(how, first, second, warnings(second.findings) < warnings(first.findings))
