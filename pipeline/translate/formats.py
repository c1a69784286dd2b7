"""Turning a translated document into the output formats: txt, md and json.

txt keeps the input format nlbrief reads (a ``date`` first line, a title line, blank-line
separated paragraphs), so a translation can be fed back in; md adds front matter and
headings; json holds everything, sentence by sentence, for tools.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit

from pipeline.ingest.document import Document, ParagraphKind
from pipeline.registry import lookup
from pipeline.translate.translator import TranslatedDocument, TranslatedUnit


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


BLOCK_SYNTAX = re.compile(r"^(\s*)([#>*+=|-]|```|~~~)")
ORDERED_ITEM = re.compile(r"^(\s*\d+)([.)])(?=\s|$)")
# C0/C1 controls other than tab and newline, lone surrogates (which cannot be written as UTF-8), and the
# bidi embedding, override and isolate controls: a U+202E in a title would show the text after it
# (an outlet, a URL) reversed, so it could make one link look like another.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
MD_INLINE = re.compile(r"([\\`*_\[\]<>#|!&~])")
# What GitHub-flavoured Markdown would turn into a link on its own (bare URLs, www. names).
MD_AUTOLINK = re.compile(r"(?i)\b(https?|ftp)(:)(?=//)|\b(www)(\.)")
# Characters JSON leaves as they are that YAML 1.1 (PyYAML, many front matter readers) reads as line
# breaks or refuses outright, and the bidi controls (kept, as escapes, since front matter is data).
_YAML_UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029\ufeff\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

# Characters that may stay as they are in a link target; everything else (spaces, parentheses,
# brackets, quotes, angle brackets, backslashes, controls, non-ASCII) is percent-encoded.
_URL_SAFE = "%/:?#@!$&'*+,;=~"


def clean_text(text: str | None) -> str:
    """The text with every control character (see ``CONTROL``) shown as U+FFFD; None becomes ''."""
    return CONTROL.sub("\ufffd", text or "")


def md_text(text: str) -> str:
    """Text that cannot open a Markdown block (heading, list, quote, fence, table) on its own."""
    text = BLOCK_SYNTAX.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return ORDERED_ITEM.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def md_inline(text: str | None) -> str:
    """One field as Markdown text: on one line, with no syntax of its own (block or inline)."""
    text = MD_INLINE.sub(r"\\\1", " ".join(clean_text(text).split()))
    text = MD_AUTOLINK.sub(lambda m: (m.group(1) or m.group(3)) + "\\" + (m.group(2) or m.group(4)), text)
    return md_text(text)


def http_url(url: str | None) -> str | None:
    """``url`` percent-encoded for use as a link target when it is an absolute http(s) URL, else None."""
    if not url:
        return None
    url = url.strip()
    if not re.match(r"(?i)https?://", url):
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return quote(url, safe=_URL_SAFE)


def date_label(date: str | None, date_source: str | None) -> str:
    """An article's date as pages show it: one taken from the file's modification time says so,
    since a copy, a clone or an unzip changes it."""
    text = date or "date unknown"
    return f"{text} (file date)" if date and date_source == "mtime" else text


def md_link(text: str | None, url: str | None) -> str:
    """``text`` as a Markdown link to ``url`` when that is an http(s) URL, else as plain text."""
    target = http_url(url)
    return f"[{md_inline(text)}]({target})" if target else md_inline(text)


def yaml_scalar(value: object) -> str:
    """``value`` as a double-quoted scalar that JSON and YAML 1.1 both read back unchanged, on one line."""
    text = json.dumps(value, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


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
        **{k: v for k, v in doc.document.metadata.items() if k in {"source", "url"}},
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
        "sentences": [
            {"source": s.source, "translation": s.target, "parts": s.parts, "passthrough": s.passthrough}
            for s in unit.sentences
        ],
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


def parse_txt_translation(doc: Document, text: str) -> list[str] | None:
    """The unit translations (title first) inside a ``render_txt`` output of ``doc``, or None when
    the text does not have exactly the shape ``render_txt`` gives that document (then it is not reused)."""
    blocks = text.rstrip("\n").split("\n\n")
    if doc.date and doc.date_source == "metadata":
        if not blocks or blocks[0] != f"date {doc.date}":
            return None
        blocks = blocks[1:]
    targets: list[str] = []
    units = doc.units()
    position = 0
    for block in blocks:
        lines = block.split("\n")
        for line in lines:
            if position >= len(units):
                return None
            unit = units[position]
            if len(lines) > 1 and unit.kind is not ParagraphKind.LIST_ITEM:
                return None
            if not line.startswith(unit.marker):
                return None
            targets.append(line[len(unit.marker) :])
            position += 1
    return targets if position == len(units) else None
