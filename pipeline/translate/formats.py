"""Turning a translated document into the output formats: txt, md and json.

txt keeps the input format nlbrief reads (a ``date`` first line, a title line, blank-line
separated paragraphs), so a translation can be fed back in; md adds front matter and
headings; json holds everything, sentence by sentence, for tools.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pipeline.ingest.document import ParagraphKind
from pipeline.registry import lookup
from pipeline.text.escaping import md_inline, yaml_scalar
from pipeline.translate.results import TranslatedDocument, TranslatedUnit


def _unit_lines_txt(unit: TranslatedUnit) -> str:
    return f"{unit.marker}{unit.target}"


def render_txt(doc: TranslatedDocument, provenance: dict[str, Any]) -> str:
    blocks: list[str] = []
    if doc.document.date and doc.document.date_source == "metadata":
        blocks.append(f"date {doc.document.date}")
    if doc.title:
        blocks.append(doc.title.target)
    blocks.extend(_join_list_items(doc.paragraphs, _unit_lines_txt))
    return "\n\n".join(blocks) + "\n"


def _join_list_items(units: list[TranslatedUnit], line: Callable[[TranslatedUnit], str]) -> list[str]:
    """Consecutive list items form one block; every other unit is a block of its own."""
    blocks: list[str] = []
    previous_was_item = False
    for unit in units:
        is_item = unit.kind is ParagraphKind.LIST_ITEM
        if is_item and previous_was_item:
            blocks[-1] += "\n" + line(unit)
        else:
            blocks.append(line(unit))
        previous_was_item = is_item
    return blocks


def _unit_md(unit: TranslatedUnit) -> str:
    # Translations are article text run through a model: none of it may add Markdown of its own.
    if unit.kind is ParagraphKind.HEADING:
        return f"## {md_inline(unit.target)}"
    if unit.kind is ParagraphKind.LIST_ITEM:
        marker = unit.marker if unit.marker.strip()[:1].isdigit() else "- "
        return f"{marker}{md_inline(unit.target)}"
    return md_inline(unit.target)


def render_md(doc: TranslatedDocument, provenance: dict[str, Any]) -> str:
    front = {
        "title": doc.title.target if doc.title else None,
        "original_title": doc.document.title,
        "date": doc.document.date if doc.document.date_source == "metadata" else None,
        **{k: v for k, v in doc.document.metadata.items() if k in {"source", "url", "extractor"}},
        "translated_from": provenance.get("input"),
        "sha256": doc.document.sha256,
        "translator": provenance.get("model"),
    }
    lines = ["---"] + [f"{key}: {yaml_scalar(value)}" for key, value in front.items() if value]
    lines.append("---")
    blocks = ["\n".join(lines)]
    if doc.title:
        blocks.append(f"# {md_inline(doc.title.target)}")
    blocks.extend(_join_list_items(doc.paragraphs, _unit_md))
    return "\n\n".join(blocks) + "\n"


def _unit_json(unit: TranslatedUnit) -> dict[str, Any]:
    return {
        "kind": unit.kind.value,
        "marker": unit.marker,
        "source": unit.source,
        "translation": unit.target,
        "passthrough": unit.passthrough,
        "flagged": any(s.flagged for s in unit.sentences),
        "sentences": [s.to_dict() for s in unit.sentences],
    }


def translation_record(doc: TranslatedDocument, provenance: dict[str, Any]) -> dict[str, Any]:
    source = doc.document
    return {
        "id": source.id,
        "source_path": source.source_path,
        "sha256": source.sha256,
        "date": source.date,
        "date_source": source.date_source,
        "metadata": source.metadata,
        "encoding": source.encoding,
        "original_title": source.title,
        "title": doc.title.target if doc.title else None,
        "passthrough": doc.passthrough,
        "title_unit": _unit_json(doc.title) if doc.title else None,
        "paragraphs": [_unit_json(u) for u in doc.paragraphs],
        "checks": doc.checks(),
        "warnings": doc.warnings,
        "stats": doc.stats(),
        "provenance": provenance,
    }


def render_json(doc: TranslatedDocument, provenance: dict[str, Any]) -> str:
    return json.dumps(translation_record(doc, provenance), ensure_ascii=False, indent=2) + "\n"


Renderer = Callable[[TranslatedDocument, dict[str, Any]], str]

FORMATS: dict[str, tuple[str, Renderer]] = {
    "txt": (".txt", render_txt),
    "md": (".md", render_md),
    "json": (".json", render_json),
}


def renderer(fmt: str) -> tuple[str, Renderer]:
    """(file suffix, render function) for an output format name."""
    return lookup(FORMATS, fmt, what="format")


def format_segments(units: list[list[str]], *, tsv: bool = False) -> str:
    """``nlbrief segment`` output: a sentence per line and an empty line after each paragraph,
    or with ``tsv`` one line per paragraph, its sentences joined by a TAB."""
    if tsv:
        return "".join("\t".join(sentences) + "\n" for sentences in units)
    return "".join("\n".join(sentences) + "\n\n" for sentences in units)
