"""``nlbrief check DIR``: the outputs of an earlier run checked again with the current checks.

The article records of ``nlbrief process`` (and ``brief``) and the ``--format json`` outputs of
``nlbrief translate`` keep each translated sentence beside its Dutch source. Each sentence is checked
again as the translator checks its own output, keeping the findings only the model's raw output showed
(signs.MODEL_SIGNS: the text cannot tell them again); the headline and each bullet are held against
the article's sentences, English and Dutch, as they were when the record was made. What the checks
find now is compared with what the record holds, sentence by sentence and claim by claim, so that the
report says what changed (a newer nlbrief, a glossary given now). A record of ``nlbrief summarize``
holds no source text: its stored checks are reported as they are.

The folder walk is stages/check_folder.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.checks.findings import Finding, Kind, findings_to_json, flagged, warnings
from pipeline.checks.glossary import Glossary
from pipeline.checks.sentence import check_text
from pipeline.checks.signs import MODEL_SIGNS
from pipeline.checks.summary import TITLE, ClaimCheck, EvidenceSentence, check_summary
from pipeline.run.manifest import CHECKS_VERSION
from pipeline.stages.check_report import finding_line
from pipeline.stages.saved import SavedArticle, SavedSentence, SavedTranslation, load_json, translation_output
from pipeline.text.plural import counted

NOT_RECHECKED = (
    "no source text in the record (nlbrief summarize): its stored checks are shown, not checked again"
)


def _key(finding: Finding) -> tuple[str, str, str]:
    # Not the message: a newer nlbrief may word the same finding anew.
    return (finding.kind.value, finding.severity.value, finding.text)


def _unmatched(these: Sequence[Finding], those: Sequence[Finding]) -> list[Finding]:
    """The findings of ``these`` that ``those`` lacks, counted (a fact missing twice is two findings)."""
    left = Counter(_key(f) for f in those)
    found = []
    for finding in these:
        if left[_key(finding)]:
            left[_key(finding)] -= 1
        else:
            found.append(finding)
    return found


@dataclass
class Changes:
    """What the checks find now that the record lacks, and what the record holds that they no longer
    find; compared per sentence and per claim."""

    not_in_record: list[Finding] = field(default_factory=list)
    only_in_record: list[Finding] = field(default_factory=list)

    def add(self, stored: Sequence[Finding], now: Sequence[Finding]) -> None:
        self.not_in_record += _unmatched(now, stored)
        self.only_in_record += _unmatched(stored, now)


@dataclass(kw_only=True)
class ArticleCheck:
    """One output checked again: its findings now (placed), the record's, and how they differ."""

    path: str
    command: str  # what wrote it: process, summarize or translate
    source_path: str
    findings: list[Finding]
    stored: list[Finding]  # as the record holds them
    version: int | None  # of the checks that made the record's findings; None: made before nlbrief checked
    changes: Changes = field(default_factory=Changes)
    remarks: list[str] = field(default_factory=list)
    rechecked: bool = True

    @property
    def changed(self) -> bool:
        """The current checks say something other than the record (or are another version of them)."""
        differ = bool(self.changes.not_in_record or self.changes.only_in_record)
        return self.rechecked and (differ or self.version != CHECKS_VERSION)

    def all_remarks(self) -> list[str]:
        if self.rechecked and self.version is None:
            return ["the record holds no checks (made before nlbrief checked)", *self.remarks]
        if self.rechecked and self.version != CHECKS_VERSION:
            told = f"the record was checked with checks version {self.version}, these with {CHECKS_VERSION}"
            return [told, *self.remarks]
        return self.remarks

    def to_json(self) -> dict[str, Any]:
        """The article's line of ``--json`` (its keys are documented in the README)."""
        return {
            "path": self.path,
            "source_path": self.source_path,
            "command": self.command,
            "rechecked": self.rechecked,
            "flagged": flagged(self.findings),
            "warnings": warnings(self.findings),
            "notes": len(self.findings) - warnings(self.findings),
            "findings": findings_to_json(self.findings),
            "record": {
                "checks_version": self.version,
                "flagged": flagged(self.stored),
                "warnings": warnings(self.stored),
            },
            "changed": self.changed,
            "not_in_record": findings_to_json(self.changes.not_in_record),
            "only_in_record": findings_to_json(self.changes.only_in_record),
            "remarks": self.all_remarks(),
        }

    def lines(self) -> list[str]:
        """The article in the text report; nothing for one with no findings, no change and no remark."""
        remarks = self.all_remarks()
        if not (self.findings or self.changed or remarks):
            return []
        n = warnings(self.findings)
        state = "flagged" if n else "notes only" if self.findings else "no findings"
        counts = f", {counted(n, 'warning')}" if n else ""
        counts += f", {counted(len(self.findings) - n, 'note')}" if len(self.findings) > n else ""
        new = {id(f) for f in self.changes.not_in_record}
        lines = [f"{self.path} ({self.command}): {state}{counts}"]
        lines += [finding_line(f) + (" [not in the record]" if id(f) in new else "") for f in self.findings]
        gone = self.changes.only_in_record
        differ = [f"{counted(len(new), 'finding')} not in the record"] if new else []
        differ += [f"{counted(len(gone), 'finding')} of the record not found now"] if gone else []
        if differ:
            lines.append(f"  differs from the record: {', '.join(differ)}")
            lines += [f"  not found now:{finding_line(f)[1:]}" for f in gone]
        return lines + [f"  {remark}" for remark in remarks]


# --- checking one output again ---------------------------------------------------------------------------


def _units(t: SavedTranslation) -> list[tuple[int, str, tuple[SavedSentence, ...]]]:
    """(index as the summary checks number it, label as the translator places findings, sentences)."""
    title = [(TITLE, "the title", t.title_sentences)] if t.title_sentences else []
    return title + [(i, f"paragraph {i + 1}", p.sentences) for i, p in enumerate(t.paragraphs)]


def _recheck_translation(
    t: SavedTranslation, glossary: Glossary | None, changes: Changes, remarks: list[str]
) -> list[Finding]:
    """Every translated sentence checked again, as Translator._placed places its findings."""
    units = _units(t)
    if not any(sentences for _, _, sentences in units):
        if t.paragraphs:
            remarks.append("the record holds no sentences (made before nlbrief checked): not checked again")
        return []
    # The model's signs cannot be told from the text, nor the glossary's findings without the glossary.
    kept_kinds = MODEL_SIGNS if glossary else MODEL_SIGNS | {Kind.GLOSSARY}
    found = []
    for _, label, sentences in units:
        for k, s in enumerate(sentences, start=1):
            if s.passthrough:  # given in English: nothing was translated
                continue
            glossed = glossary.check(s.source, s.translation) if glossary else []
            kept = [f for f in s.findings if f.kind in kept_kinds]
            now = [
                f.at(f"{label}, sentence {k}")
                for f in (*kept, *check_text(s.source, s.translation, s.pieces), *glossed)
            ]
            changes.add(s.findings, now)
            found += now
    if glossary is None and any(f.kind is Kind.GLOSSARY for f in found):
        remarks.append("the glossary findings are the record's: pass --glossary FILE to check them again")
    return found


def _evidence(t: SavedTranslation, original_title: str | None) -> list[EvidenceSentence]:
    """The article's sentences as records.evidence gives them to the summary checks."""
    units = _units(t)
    if any(sentences for _, _, sentences in units):
        return [
            EvidenceSentence(paragraph, k, s.translation, "" if s.passthrough else s.source)
            for paragraph, _, sentences in units
            for k, s in enumerate(sentences)
        ]
    # A record made before nlbrief checked keeps whole paragraphs only.
    title = [EvidenceSentence(TITLE, 0, t.title, original_title or "")] if t.title else []
    return title + [EvidenceSentence(i, 0, p.translation, p.source) for i, p in enumerate(t.paragraphs)]


def _recheck_summary(article: SavedArticle, t: SavedTranslation, changes: Changes) -> list[Finding]:
    """The headline, each bullet and each bullet --unsupported drop removed, against the article."""
    stored = article.checks
    dropped = stored.dropped if stored else []
    claims = [*article.bullets, *(c.text for c in dropped)]
    result = check_summary(article.headline, claims, _evidence(t, article.original_title), "flag")
    kept, gone = result.bullets[: len(article.bullets)], result.bullets[len(article.bullets) :]
    before = [stored.headline, *stored.bullets, *dropped] if stored else []
    now = [result.headline, *kept]
    now += [
        ClaimCheck(c.text, [f.at(f"dropped bullet {j}") for f in c.findings]) for j, c in enumerate(gone, 1)
    ]
    found = []
    for i, claim in enumerate(now):
        changes.add(before[i].findings if i < len(before) else [], claim.findings)
        found += claim.findings
    return found


def _version(data: dict[str, Any]) -> int | None:
    checks = data.get("checks")
    version = checks.get("version") if isinstance(checks, dict) else None
    return version if isinstance(version, int) and not isinstance(version, bool) else None


def _check_record(data: dict[str, Any], path: str, glossary: Glossary | None) -> ArticleCheck:
    article = SavedArticle.from_dict(data, path)
    stored = article.checks.findings() if article.checks else []
    checked = ArticleCheck(
        path=path, command="process", source_path=article.source_path, findings=[], stored=stored,
        version=_version(data),
    )  # fmt: skip
    if article.translation is None:  # nlbrief summarize's: the record has no source text to check with
        checked.command, checked.findings, checked.rechecked = "summarize", stored, False
        checked.remarks.append(NOT_RECHECKED)
        return checked
    checked.findings = _recheck_translation(article.translation, glossary, checked.changes, checked.remarks)
    checked.findings += _recheck_summary(article, article.translation, checked.changes)
    return checked


def _check_translated(data: dict[str, Any], path: str, glossary: Glossary | None) -> ArticleCheck:
    t = translation_output(data, path)
    checked = ArticleCheck(
        path=path, command="translate", source_path=str(data.get("source_path") or ""), findings=[],
        stored=[f for _, _, sentences in _units(t) for s in sentences for f in s.findings],
        version=_version(data),
    )  # fmt: skip
    checked.findings = _recheck_translation(t, glossary, checked.changes, checked.remarks)
    return checked


@dataclass(frozen=True)
class OutputKind:
    keys: frozenset[str]  # the keys that tell this kind of output by its content
    check: Callable[[dict[str, Any], str, Glossary | None], ArticleCheck]


KINDS: dict[str, OutputKind] = {
    # ArticleRecord.to_dict: `process` and `brief` (and `summarize`, whose translation is null)
    "article record": OutputKind(
        frozenset({"source_path", "headline", "bullets", "translation"}), _check_record
    ),
    # formats.translation_record: `translate --format json`
    "translation": OutputKind(
        frozenset({"source_path", "title_unit", "paragraphs", "provenance"}), _check_translated
    ),
}


def check_output(path: Path, glossary: Glossary | None = None) -> ArticleCheck | None:
    """The output in ``path`` checked again; None when it is JSON but no nlbrief output (a briefing's);
    InputError when it cannot be read, or is an output with a key out of shape."""
    data = load_json(path)
    for kind in KINDS.values():
        if isinstance(data, dict) and kind.keys <= data.keys():
            return kind.check(data, str(path), glossary)
    return None
