"""What translating gives back: each sentence with its checks, each paragraph, each document.

Kept apart from the translator so that the formats, the memory and the pages read results without the
machinery that makes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from pipeline.checks.findings import Finding, findings_to_json, flagged, warnings
from pipeline.ingest.document import Document, ParagraphKind
from pipeline.run.manifest import CHECKS_VERSION
from pipeline.text.plural import counted
from pipeline.translate.retry import Retry


@dataclass
class SentenceResult:
    source: str
    target: str
    parts: int = 1  # > 1 when the sentence was over the model's limit and translated in parts
    tokens: int = 0
    passthrough: bool = False
    cached: bool = False  # taken from the translation memory, not generated in this run
    findings: list[Finding] = field(default_factory=list)  # of the translation kept (pipeline/checks)
    retry: Retry | None = None  # both tries, when the first had a finding and was tried again
    retry_skipped: bool = False  # had a finding, but the batch's retry budget was spent
    where: str = ""  # its place in its document ("paragraph 2, sentence 1"), once the document is built
    # each part's source and translation, when it was cut into parts (each was checked on its own)
    pieces: tuple[tuple[str, str], ...] = ()

    @property
    def flagged(self) -> bool:
        return flagged(self.findings)

    def to_dict(self) -> dict[str, Any]:
        """As the JSON outputs hold a sentence (``--format json``, article records)."""
        return {
            "source": self.source,
            "translation": self.target,
            "parts": self.parts,
            "passthrough": self.passthrough,
            "flagged": self.flagged,
            "findings": findings_to_json(self.findings),
            "retry": self.retry.to_dict() if self.retry else None,
            "pieces": [{"source": source, "translation": target} for source, target in self.pieces],
        }


class Remembered(NamedTuple):
    """What a translation memory keeps per sentence: enough to rebuild its SentenceResult, its findings
    included (a flagged translation is never remembered as a clean one)."""

    target: str
    parts: int
    tokens: int
    findings: tuple[Finding, ...] = ()
    retry: Retry | None = None
    checks_version: int = CHECKS_VERSION  # the checks that found the findings (older ones are redone)
    retry_skipped: bool = False
    pieces: tuple[tuple[str, str], ...] = ()


@dataclass
class TranslatedUnit:
    kind: ParagraphKind
    marker: str
    source: str
    target: str
    sentences: list[SentenceResult]
    passthrough: bool = False


@dataclass
class TranslatedDocument:
    document: Document
    title: TranslatedUnit | None
    paragraphs: list[TranslatedUnit]
    passthrough: bool = False
    warnings: list[str] = field(default_factory=list)

    def sentences(self) -> list[SentenceResult]:
        units = ([self.title] if self.title else []) + self.paragraphs
        return [s for u in units for s in u.sentences]

    def findings(self) -> list[Finding]:
        return [f for s in self.sentences() for f in s.findings]

    def checks(self) -> dict[str, Any]:
        """The translation's checks as the JSON outputs hold them (``--format json``, article records):
        every finding, placed ("paragraph 2, sentence 1"), and the second tries."""
        sentences = self.sentences()
        found = self.findings()
        return {
            "version": CHECKS_VERSION,
            "flagged": flagged(found),
            "warnings": warnings(found),
            "notes": len(found) - warnings(found),
            "sentences_flagged": sum(1 for s in sentences if s.flagged),
            "findings": findings_to_json(found),
            "retries": [
                {"where": s.where, "source": s.source, **s.retry.to_dict()} for s in sentences if s.retry
            ],
        }

    def stats(self) -> dict[str, int]:
        sentences = self.sentences()
        return {
            "paragraphs": len(self.paragraphs),
            "sentences": len(sentences),
            "sentences_split": sum(1 for s in sentences if s.parts > 1),
            "sentences_passed_through": sum(1 for s in sentences if s.passthrough),
            "source_tokens": sum(s.tokens for s in sentences),
            "sentences_flagged": sum(1 for s in sentences if s.flagged),
            "sentences_retried": sum(1 for s in sentences if s.retry is not None),
            "findings": warnings(self.findings()),
        }


# Flagged sentences named in a document's warning line; the output (JSON, the article pages) has them all.
SENTENCES_IN_WARNING = 3


def check_warnings(doc: TranslatedDocument) -> list[str]:
    """One warning line for a document whose translation the checks flagged, naming the first few
    flagged sentences and the first finding of each, and one when flagged sentences were left without a
    second try."""
    flagged_sentences = [s for s in doc.sentences() if s.flagged]
    if not flagged_sentences:
        return []
    first = [(s.where, next(f.message for f in s.findings if f.warning)) for s in flagged_sentences]
    shown = "; ".join(f"{where}: {message}" for where, message in first[:SENTENCES_IN_WARNING])
    rest = len(first) - SENTENCES_IN_WARNING
    more = f"; and {counted(rest, 'more sentence')}" if rest > 0 else ""
    lines = [f"checks: {counted(len(flagged_sentences), 'sentence')} flagged: {shown}{more}"]
    skipped = sum(1 for s in flagged_sentences if s.retry_skipped)
    if skipped:
        lines.append(
            f"checks: {counted(skipped, 'flagged sentence')} not tried again (a second try is for a "
            "translation with a few findings of a sentence the model takes whole)"
        )
    return lines
