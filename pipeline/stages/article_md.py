"""The Markdown page of one processed article: headline and key points, each flagged one marked with its
reason and each linked to the sentences it comes from, the translation with its flagged sentences
marked, and how the page was made.

Every field is article or model text: ``md_inline`` keeps each on its line, with no Markdown of its own.
The words of the marks are :mod:`pipeline.stages.marks`'s, as on the HTML page.
"""

from __future__ import annotations

from typing import Any

from pipeline.ingest.document import ParagraphKind
from pipeline.stages.marks import mark, sources_text
from pipeline.stages.records import ArticleRecord, notice, provenance_items
from pipeline.text.escaping import date_label, md_inline, md_link
from pipeline.translate.results import TranslatedUnit


def _about(record: ArticleRecord) -> str:
    doc = record.document
    about = [md_inline(f"original title: {doc.title}")] if doc.title else []
    about.append(md_inline(date_label(doc.date, doc.date_source)))
    about += [md_inline(doc.metadata["source"])] if doc.metadata.get("source") else []
    about += [md_link(doc.metadata["url"], doc.metadata["url"])] if doc.metadata.get("url") else []
    about.append(md_inline(f"file: {doc.source_path}"))
    return " · ".join(about)


def _key_points(record: ArticleRecord) -> list[str]:
    lines = []
    for claim in record.checks.bullets:
        extra = [text for text in (mark(claim.findings), sources_text(claim.evidence)) if text]
        tail = f" — *{md_inline(' '.join(extra))}*" if extra else ""
        lines.append(f"- {md_inline(claim.text)}{tail}")
    return lines or ["(no bullets)"]


def _unit_md(unit: TranslatedUnit, title: bool = False) -> list[str]:
    """A paragraph of the translation, then a quoted line per flagged sentence naming it and why."""
    if title or unit.kind is ParagraphKind.HEADING:
        lines = [f"### {md_inline(unit.target)}"]
    elif unit.kind is ParagraphKind.LIST_ITEM:
        lines = [f"- {md_inline(unit.target)}"]
    else:
        lines = [md_inline(unit.target)]
    flagged = [s for s in unit.sentences if s.flagged]
    if flagged:
        lines.append("")
        lines += [f"> {md_inline(f'{mark(s.findings)} ({s.where}: “{s.target}”)')}  " for s in flagged]
    return [*lines, ""]


def render_record_md(record: ArticleRecord, provenance: dict[str, Any]) -> str:
    headline = record.checks.headline
    lines = [f"# {md_inline(record.summary.headline) or '(no headline)'}", ""]
    if headline.flagged:
        lines += [f"*{md_inline(mark(headline.findings) + ' (headline)')}*", ""]
    lines += [_about(record), "", md_inline(notice(record)), "", md_inline(record.verdict()), ""]
    lines += _key_points(record)
    if record.translation is not None:
        t = record.translation
        lines += ["", "## Translation", ""]
        lines += _unit_md(t.title, title=True) if t.title else []
        for unit in t.paragraphs:
            lines += _unit_md(unit)
    lines += ["", "## About this page", ""]
    lines += [f"- {md_inline(f'{label}: {text}')}" for label, text in provenance_items(record, provenance)]
    warnings = record.warnings()
    lines += ["", f"Warnings ({len(warnings)}):" if warnings else "Warnings: none.", ""]
    lines += [f"- {md_inline(warning)}" for warning in warnings]
    return "\n".join(lines).rstrip("\n") + "\n"
