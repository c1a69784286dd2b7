"""The per-article record of ``nlbrief process`` / ``summarize``: JSON for tools, Markdown for people.

One record holds everything about an article: where it came from (path, hash, metadata), the
translation, the bullets and headline, the models and settings, timings and warnings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pipeline.document import Document, ParagraphKind
from pipeline.render import md_inline
from pipeline.summarize import SummaryResult
from pipeline.translate import TranslatedDocument


@dataclass
class ArticleRecord:
    document: Document
    translation: TranslatedDocument | None  # None when the source was already English (summarize)
    summary: SummaryResult
    reused_translation: str | None = None  # the `nlbrief translate` output it came from, if any

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
            **provenance,
        }
        if self.translation is not None:
            t = self.translation
            record["translation"] = {
                "title": t.title.target if t.title else None,
                "passthrough": t.passthrough,
                "reused_from": self.reused_translation,
                "paragraphs": [
                    {"kind": u.kind.value, "marker": u.marker, "source": u.source, "translation": u.target}
                    for u in t.paragraphs
                ],
            }
        return record

    def warnings(self) -> list[str]:
        # A translation's warnings start with its document's; an English file has only the latter.
        translated = self.translation.warnings if self.translation else self.document.warnings
        return [*translated, *self.summary.warnings]


def render_record_json(record: ArticleRecord, provenance: dict[str, Any]) -> str:
    return json.dumps(record.to_dict(provenance), ensure_ascii=False, indent=2) + "\n"


def render_record_md(record: ArticleRecord, provenance: dict[str, Any]) -> str:
    # Every field is article or model text: md_inline keeps each on its line, with no Markdown of its own.
    doc = record.document
    lines = [f"# {md_inline(record.summary.headline) or '(no headline)'}", ""]
    about = [part for part in (doc.date, doc.metadata.get("source"), doc.metadata.get("url")) if part]
    if doc.title:
        about.insert(0, f"original title: {doc.title}")
    about.append(f"file: {doc.source_path}")
    lines += [md_inline(" · ".join(about)), ""]
    lines += [f"- {md_inline(bullet)}" for bullet in record.summary.bullets] or ["(no bullets)"]
    if record.translation is not None:
        t = record.translation
        lines += ["", "## Translation", ""]
        if t.title:
            lines += [f"### {md_inline(t.title.target)}", ""]
        for unit in t.paragraphs:
            if unit.kind is ParagraphKind.HEADING:
                lines += [f"### {md_inline(unit.target)}", ""]
            elif unit.kind is ParagraphKind.LIST_ITEM:
                lines += [f"- {md_inline(unit.target)}", ""]
            else:
                lines += [md_inline(unit.target), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
