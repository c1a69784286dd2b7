"""The per-article record of ``nlbrief process`` / ``summarize``: JSON for tools, Markdown for people
(the HTML page is :mod:`pipeline.stages.article_page`).

One record holds everything about an article: where it came from (path, hash, metadata), the
translation (each paragraph's Dutch source beside its English), the bullets and headline, the models
and settings, when it was made, timings and warnings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from pipeline.checks.findings import Finding, flagged, warnings
from pipeline.checks.summary import TITLE, EvidenceSentence, SummaryChecks, check_summary
from pipeline.ingest.document import Document
from pipeline.run.manifest import CHECKS_VERSION
from pipeline.stages.marks import verdict
from pipeline.summarize.summarizer import SummaryResult
from pipeline.text.segment import split_english_sentences
from pipeline.translate.results import TranslatedDocument


@dataclass
class ArticleRecord:
    """One article: its source, its translation, its summary, and the checks of the summary against it.

    Build one with ``ArticleRecord.checked``, which runs the summary checks (and, with ``--unsupported
    drop``, takes out the bullets they flag, saying so in the warnings)."""

    document: Document
    translation: TranslatedDocument | None  # None when the source was already English (summarize)
    summary: SummaryResult
    checks: SummaryChecks
    unsupported: str = "flag"  # what was done with a bullet with an unsupported fact (--unsupported)

    @classmethod
    def checked(
        cls,
        document: Document,
        translation: TranslatedDocument | None,
        summary: SummaryResult,
        unsupported: str = "flag",
    ) -> ArticleRecord:
        checks = check_summary(
            summary.headline, summary.bullets, evidence(document, translation), unsupported
        )
        dropped = [
            f"{claim.findings[0].where} was left out (--unsupported drop): "
            + "; ".join(f.message for f in claim.findings if f.warning)
            for claim in checks.dropped
        ]
        kept = replace(
            summary, bullets=[c.text for c in checks.bullets], warnings=[*summary.warnings, *dropped]
        )
        return cls(document, translation, kept, checks, unsupported)

    def findings(self) -> list[Finding]:
        """Every finding: the translation's, then the summary's."""
        translated = self.translation.findings() if self.translation else []
        return [*translated, *self.checks.findings()]

    def checks_dict(self) -> dict[str, Any]:
        found = self.findings()
        return {
            "version": CHECKS_VERSION,
            "unsupported": self.unsupported,
            "flagged": flagged(found),
            "warnings": warnings(found),
            "translation": self.translation.checks() if self.translation else None,
            "headline": self.checks.headline.to_dict(),
            "bullets": [claim.to_dict() for claim in self.checks.bullets],
            "dropped": [claim.to_dict() for claim in self.checks.dropped],
        }

    def verdict(self) -> str:
        """The checks of this article in one line, for the top of its pages."""
        sentences = [
            s for s in (self.translation.sentences() if self.translation else []) if not s.passthrough
        ]
        claims = [self.checks.headline, *self.checks.bullets]
        flagged_sentences = sum(1 for s in sentences if s.flagged)
        return verdict(len(sentences), flagged_sentences, claims, len(self.checks.dropped), bool(sentences))

    def check_stats(self) -> dict[str, int]:
        """What the run counts and reports: warnings in all, flagged sentences and bullets, dropped ones."""
        sentences = self.translation.sentences() if self.translation else []
        return {
            "findings": warnings(self.findings()),
            "sentences_flagged": sum(1 for s in sentences if s.flagged),
            "bullets_flagged": sum(1 for claim in self.checks.bullets if claim.flagged),
            "bullets_dropped": len(self.checks.dropped),
            "headline_flagged": int(self.checks.headline.flagged),
        }

    def to_dict(self, provenance: dict[str, Any]) -> dict[str, Any]:
        doc = self.document
        record: dict[str, Any] = {
            "id": doc.id,
            "source_path": doc.source_path,
            "sha256": doc.sha256,
            "date": doc.date,
            "date_source": doc.date_source,
            "metadata": doc.metadata,
            "original_title": doc.title,
            "headline": self.summary.headline,
            "bullets": self.summary.bullets,
            "summary": {"chunks": self.summary.chunks},
            "translation": None,
            "warnings": self.warnings(),
            "checks": self.checks_dict(),
            **provenance,
        }
        if self.translation is not None:
            t = self.translation
            record["translation"] = {
                "title": t.title.target if t.title else None,
                "title_sentences": [s.to_dict() for s in t.title.sentences] if t.title else [],
                "passthrough": t.passthrough,
                # Always null since translations are reused through the translation memory; kept so
                # that the records' shape stays as tools know it.
                "reused_from": None,
                "paragraphs": [
                    {
                        "kind": u.kind.value,
                        "marker": u.marker,
                        "source": u.source,
                        "translation": u.target,
                        "sentences": [s.to_dict() for s in u.sentences],
                    }
                    for u in t.paragraphs
                ],
            }
        return record

    def warnings(self) -> list[str]:
        # A translation's warnings start with its document's; an English file has only the latter.
        translated = self.translation.warnings if self.translation else self.document.warnings
        flagged_claims = [
            f"checks: {claim.findings[0].where}: " + "; ".join(f.message for f in claim.findings if f.warning)
            for claim in (self.checks.headline, *self.checks.bullets)
            if claim.flagged
        ]
        return [*translated, *self.summary.warnings, *flagged_claims]


def evidence(document: Document, translation: TranslatedDocument | None) -> list[EvidenceSentence]:
    """The article's sentences as the summary checks read them: each with its place (TITLE or the
    paragraph's index, the sentence's index) and, when translated, the Dutch it came from."""
    if translation is None:
        units = [(TITLE, document.title or "")] + list(enumerate(p.text for p in document.paragraphs))
        return [
            EvidenceSentence(paragraph, k, sentence)
            for paragraph, text in units
            for k, sentence in enumerate(split_english_sentences(text))
        ]
    numbered = ([(TITLE, translation.title)] if translation.title else []) + list(
        enumerate(translation.paragraphs)
    )
    return [
        EvidenceSentence(paragraph, k, s.target, "" if s.passthrough else s.source)
        for paragraph, unit in numbered
        for k, s in enumerate(unit.sentences)
    ]


def render_record_json(record: ArticleRecord, provenance: dict[str, Any]) -> str:
    return json.dumps(record.to_dict(provenance), ensure_ascii=False, indent=2) + "\n"


def notice(record: ArticleRecord) -> str:
    """The one line a reader needs before trusting the page."""
    if record.translation is None or record.translation.passthrough:
        return "Headline and key points written by a model, not checked by a person."
    return "Machine translation from Dutch, not checked by a person; models and warnings below."


def _model(provenance: dict[str, Any], key: str) -> str:
    revision = provenance.get(f"{key}_revision")
    return f"{provenance.get(key) or 'unknown model'} (revision {revision or 'unknown'})"


def provenance_items(record: ArticleRecord, provenance: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, text) pairs saying how the page was made: the extractor of a web page's article, models
    and revisions, when."""
    extractor = record.document.metadata.get("extractor")
    items = [("Article text taken from the web page by", extractor)] if extractor else []
    t = record.translation
    if t is None:
        items.append(("Translation", "none: the article was given in English (nlbrief summarize)"))
    elif t.passthrough:
        items.append(("Translation", "none: the article was already in English and is shown as it is"))
    else:
        items.append(("Machine translation by", _model(provenance, "model")))
    items.append(("Headline and key points by", _model(provenance, "summarizer_model")))
    items.append(("Made", provenance.get("made_at") or "time unknown"))
    return items
