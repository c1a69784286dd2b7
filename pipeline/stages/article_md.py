"""The Markdown page of one processed article: headline and key points, each flagged one marked with its
reason and each linked to the sentences it comes from, the translation with its flagged sentences
marked, and how the page was made.

Every field is article or model text: ``md_inline`` keeps each on its line, with no Markdown of its own.
The words of the marks are :mod:`pipeline.stages.marks`'s, as on the HTML page.
"""

from __future__ import annotations

from typing import Any

from pipeline.briefing.outlets import outlet_name
from pipeline.checks.summary import ClaimCheck
from pipeline.ingest.document import ParagraphKind
from pipeline.stages.marks import mark, sources_text
from pipeline.stages.records import ArticleRecord, notice, provenance_items
from pipeline.text.escaping import date_label, md_inline, md_link
from pipeline.translate.results import SentenceResult, TranslatedUnit


def _about(record: ArticleRecord) -> str:
    doc = record.document
    about = [md_inline(f"original title: {doc.title}")] if doc.title else []
    about.append(md_inline(date_label(doc.date, doc.date_source)))
    about += [md_inline(outlet)] if (outlet := outlet_name(doc.metadata)) else []
    about += [md_link(doc.metadata["url"], doc.metadata["url"])] if doc.metadata.get("url") else []
    about.append(md_inline(f"file: {doc.source_path}"))
    return " · ".join(about)


def key_point_note(claim: ClaimCheck) -> str:
    """What follows a key point: its mark when flagged, and the sentences it comes from."""
    return " ".join(text for text in (mark(claim.findings), sources_text(claim.evidence)) if text)


def _key_points(record: ArticleRecord) -> list[str]:
    lines = []
    for claim in record.checks.bullets:
        note = key_point_note(claim)
        lines.append(f"- {md_inline(claim.text)}" + (f" — *{md_inline(note)}*" if note else ""))
    return lines or ["(no bullets)"]


def _unit_md(unit: TranslatedUnit, title: bool = False) -> list[str]:
    """A paragraph of the translation, then a quoted line per flagged sentence naming it and why."""
    if title or unit.kind is ParagraphKind.HEADING:
        lines = [f"### {md_inline(unit.target)}"]
    elif unit.kind is ParagraphKind.LIST_ITEM:
        lines = [f"- {md_inline(unit.target)}"]
    else:
        lines = [md_inline(unit.target)]
    for sentence in unit.sentences:
        if sentence.flagged:
            lines += ["", f"*{md_inline(flagged_line(sentence))}*"]
    return [*lines, ""]


def flagged_line(sentence: SentenceResult) -> str:
    """The line under a paragraph for each of its flagged sentences: why, where, and which sentence."""
    return f"{mark(sentence.findings)} ({sentence.where}: “{sentence.target}”)"


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
