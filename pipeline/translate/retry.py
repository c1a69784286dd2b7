"""A second try at a sentence whose translation has a finding, and the record of both tries.

The second try is different in kind, not a repeat: a sentence with clause boundaries is translated
clause by clause (a small model drops or garbles facts in long segments), one without them with another
beam setting. The candidate with fewer warnings is kept (the first on a tie) and both are recorded.

Which sentences are tried again depends on each sentence alone, never on the others of its batch, so a
rerun, or a run that finds part of its sentences in the translation memory, decides the same and writes
the same. A second try is for a translation that is nearly right: at most MAX_WARNINGS warnings, not only
<unk> (no other try writes a character the vocabulary lacks), and a sentence the model takes whole (one
cut into parts was already cut at its boundaries). A translation wrong all over (cut off, looping, most
facts gone) shows a model that fails the sentence, which fails it again; trying each such sentence twice
would double the time of a run whose model is broken, for nothing. The document says how many flagged
sentences were not tried again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.checks.findings import Finding, Kind, findings_from_json, findings_to_json, warnings
from pipeline.translate.splitting import clauses

MAX_WARNINGS = 3
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


def worth_trying(findings: Sequence[Finding], parts: int) -> bool:
    """Whether a first try is tried again (see the module docstring)."""
    found = warnings(findings)
    only_unknown = all(f.kind is Kind.UNKNOWN for f in findings if f.warning)
    return 0 < found <= MAX_WARNINGS and not only_unknown and parts == 1


def plan(text: str, beams: int) -> RetryPlan:
    pieces = clauses(text)
    if len(pieces) > 1:
        return RetryPlan(text, pieces, None, f"translated again clause by clause ({len(pieces)} parts)")
    other = GREEDY_BEAMS if beams > GREEDY_BEAMS else SEARCH_BEAMS
    return RetryPlan(
        text, [text], other, f"translated again with {other} beam{'s' * (other > 1)} instead of {beams}"
    )


def keep(how: str, first: Candidate, second: Candidate) -> Retry:
    """The second try is kept only when it has fewer warnings than the first."""
    return Retry(how, first, second, warnings(second.findings) < warnings(first.findings))
