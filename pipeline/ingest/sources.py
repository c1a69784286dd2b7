"""Reading source articles: raw bytes -> text -> Document.

Layout normalisation, the only changes made to the text: line endings become
"\\n"; each line's leading and trailing whitespace is stripped and runs of spaces
and tabs inside it become one space; the lines of a blank-line-separated paragraph
are joined with single spaces. Metadata (a ``date`` line, YAML front matter) and
markup (markdown ``#``s, list markers, which go to ``Paragraph.marker``) are taken
out of the text. No other character is ever dropped or changed.

Metadata at the top of a file, one of: a first line ``date YYYY-MM-DD`` (or
``date: ...``, any case), optionally followed on the same line by the first
paragraph; YAML front matter between ``---`` lines (title, date, other keys go to
``Document.metadata``); the date may be ISO or Dutch (``6 oktober 2025``, see
pipeline/ingest/dates.py, which also dates a file without one). Without a title from front
matter, a ``# Title`` line or a short (at most 12 words, 100 characters) first line
without final punctuation is the title, when more text follows it.
``Document.encoding`` is a Python codec name: "utf-8", "utf-8-sig" (UTF-8 with BOM),
"utf-16-le", "utf-32-be", ..., or "cp1252".

A web page (a ``.html`` or ``.htm`` file, or any text that starts like a whole page) is decoded the same
way; then its article is extracted (pipeline/ingest/html.py): the page's title, date and author, and its
paragraphs, read as those of a text file with blank lines between them. The metadata records the
extractor, so every output traces back to it.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from functools import cache

from pipeline.errors import InputError
from pipeline.ingest.dates import DATE_PATTERN, date_of_file, match_to_iso, parse_date
from pipeline.ingest.discover import DEFAULT_INCLUDE, PAGE_SUFFIXES, Discovery, SourceFile, discover, not_text
from pipeline.ingest.document import Document, Paragraph, ParagraphKind
from pipeline.ingest.html import MIN_ARTICLE_WORDS, SAVE_TEXT_FIX, extract_article, looks_like_page

__all__ = [
    "DEFAULT_INCLUDE",
    "Discovery",
    "SourceFile",
    "decode_bytes",
    "discover",
    "read_document",
]

# UTF-32 LE before UTF-16 LE: its BOM starts with the same two bytes.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive such as .docx"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document such as .doc"),
)
# Control characters that real text does not contain (tab, newlines, \v and \f are fine).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_VALID_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")
_LEGACY_WARNING = "not UTF-8; decoded as cp1252 (legacy Windows encoding); re-save as UTF-8 to silence this"

_DATE_LINE = re.compile(
    r"\s*date(?::\s*|\s+)(?P<date>" + DATE_PATTERN.pattern + r")(?=\s|$)\s*(?P<rest>.*)", re.IGNORECASE
)
# Markdown the reader takes as structure: the title (#), other headings, list markers.
_H1 = re.compile(r"#\s+(.+?)(?:\s+#+)?")
_HEADING = re.compile(r"#{1,6}\s+(.+?)(?:\s+#+)?")
_MARKER = re.compile(r"(?:[-*•–]|\d{1,2}[.)]|[a-zA-Z]\)) ")
# A line that ends without one of these, and is short, reads as a heading in a plain-text file.
_FINAL_PUNCTUATION, _CLOSERS = ".!?:;…,", "\"'”’»)]"
_SHORT_WORDS, _SHORT_CHARS = 12, 100
_SPACES = re.compile(r"[ \t]+")


def decode_bytes(data: bytes, name: str = "-") -> tuple[str, str, list[str]]:
    """Decode a source file's bytes: (text with "\\n" line ends, encoding name, warnings).

    A BOM decides (UTF-8, UTF-16 and UTF-32, LE/BE); otherwise UTF-8, and text that is
    not valid UTF-8 is read as cp1252 with a warning, unless it is mostly valid UTF-8 with
    a few broken bytes: then those become U+FFFD, with a warning naming the first line.
    Binary data and empty text raise InputError; ``name`` is the path the error names.
    """
    warnings: list[str] = []
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            label = encoding.removesuffix("-sig").upper()
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise InputError(
                    name,
                    f"starts with a {label} byte-order mark but is not valid {label}; re-save it as UTF-8",
                ) from None
            break
    else:
        if data[:64].lstrip().startswith(b"{\\rtf"):  # TextEdit's default, whatever the name
            raise not_text(name, "an RTF document")
        for signature, kind in _SIGNATURES:
            if data.startswith(signature):
                raise _binary(name, f"it starts like {kind}")
        if b"\0" in data:
            raise _binary(name, "it contains NUL bytes")
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, encoding, warning = _decode_not_utf8(data)
            warnings.append(warning)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(name, "is empty; nothing to translate")
    if len(_CONTROL.findall(text)) > max(3, len(text) // 20):
        raise _binary(name, "it is full of control characters")
    return text, encoding, warnings


def _decode_not_utf8(data: bytes) -> tuple[str, str, str]:
    """Bytes that are not valid UTF-8: damaged UTF-8, or a legacy Windows file. (text, encoding, warning)

    UTF-8 with a few broken bytes (a file cut mid-character, one stray byte) keeps its UTF-8:
    read as cp1252, every other accent in it would turn into two wrong characters ("é" -> "Ã©").
    It is UTF-8 when its valid non-ASCII characters outnumber its invalid bytes; cp1252 text
    almost never holds valid UTF-8 sequences by chance.
    """
    escaped = data.decode("utf-8", errors="surrogateescape")  # invalid bytes -> U+DC80..U+DCFF
    bad = len(_ESCAPED_BYTE.findall(escaped))
    if len(_VALID_NON_ASCII.findall(escaped)) <= bad:
        return data.decode("latin-1").translate(_cp1252_table()), "cp1252", _LEGACY_WARNING
    first = _ESCAPED_BYTE.search(escaped)
    assert first is not None  # the bytes are not valid UTF-8: one at least is bad
    line = escaped[: first.start()].replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    warning = (
        f"{bad} byte(s) are not valid UTF-8 (the first on line {line}); each was replaced by the "
        "U+FFFD replacement character; fix or re-save the file as UTF-8"
    )
    return _ESCAPED_BYTE.sub("\ufffd", escaped), "utf-8", warning


def read_document(src: SourceFile, data: bytes) -> Document:
    """Decode and parse one source's bytes, ``data``, as read by pipeline/ingest/reading.py.

    Every problem the user can fix raises InputError naming the file.
    """
    name = str(src.path) if src.path is not None else "-"
    text, encoding, warnings = decode_bytes(data, name)
    named_page = src.path is not None and src.path.suffix.lower() in PAGE_SUFFIXES
    is_page = named_page or looks_like_page(text)
    top = _page(text, name, named_page) if is_page else _split_metadata(text, name)
    paragraphs = _paragraphs(top.body, top.blocks)
    if not paragraphs:
        raise InputError(name, "has no text besides its metadata; nothing to translate")
    # A dateless article is dated by its file name, else by its file (with a warning): a briefing needs a day.
    date, date_source, date_warnings = date_of_file(src.path, top.date)
    return Document(
        id=src.rel,
        source_path=name,
        sha256=hashlib.sha256(data).hexdigest(),
        title=top.title,
        date=date,
        paragraphs=paragraphs,
        date_source=date_source,
        metadata=top.metadata,
        encoding=encoding,
        warnings=warnings + top.warnings + date_warnings,
    )


def _page(html: str, name: str, named_page: bool) -> _Top:
    """A web page's article as the top and body of a text file; InputError when it has none."""
    try:
        page = extract_article(html)
    except InputError as err:  # it names no file
        raise InputError(name, err.reason, err.fix) from None
    if page is None:
        words = f"no {MIN_ARTICLE_WORDS} words of it were found"
        raise InputError(name, f"is a web page without article text ({words})", SAVE_TEXT_FIX)
    known = {"extractor": page.extractor, "url": page.url, "author": page.author}
    metadata = {key: value for key, value in known.items() if value}
    warnings = [] if named_page else ["holds a web page, not plain text: its article was extracted"]
    return _Top(page.title, page.date, metadata, page.text.split("\n"), blocks=True, warnings=warnings)


def _binary(name: str, why: str) -> InputError:
    return InputError(name, f"looks like a binary file (not text; {why})", "pass a .txt or .md file")


@cache
def _cp1252_table() -> dict[int, str]:
    # latin-1 then this table == cp1252, except that the five bytes cp1252 leaves
    # undefined keep their latin-1 meaning instead of failing the whole file.
    table = {}
    for byte in range(0x80, 0xA0):
        try:
            table[byte] = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            continue
    return table


@dataclass
class _Top:
    """What the top of a file says, and the body lines left after it."""

    title: str | None
    date: str | None
    metadata: dict[str, str]
    body: list[str]
    blocks: bool  # blank lines separate paragraphs (decided before a title line is taken off)
    warnings: list[str]


def _split_metadata(text: str, name: str) -> _Top:
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip())
    title: str | None = None
    date: str | None = None
    metadata: dict[str, str] = {}
    warnings: list[str] = []
    look_for_title = True
    if lines[start].strip() == "---":
        end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is None:
            raise InputError(name, "front matter has no closing '---' line; fix the YAML front matter")
        block = "\n".join(lines[start + 1 : end])
        title, date, metadata, warnings = _front_matter(block, name, first_line=start + 2)
        body = lines[end + 1 :]
    elif match := _DATE_LINE.fullmatch(lines[start]):
        date = match_to_iso(match)
        if date is None:
            warnings.append(
                f"first line has date {match['date']!r}, which is not a real date; write it as YYYY-MM-DD"
            )
        rest = match["rest"].strip()
        body = ([rest] if rest else []) + lines[start + 1 :]
        # Text right after the date is the first paragraph, never a title.
        look_for_title = not rest
    else:
        body = lines[start:]
    blocks = _blocks_mode(body)
    if look_for_title and title is None:
        title, body = _take_title(body, blocks)
    return _Top(title=title, date=date, metadata=metadata, body=body, blocks=blocks, warnings=warnings)


def _front_matter(
    block: str, name: str, first_line: int
) -> tuple[str | None, str | None, dict[str, str], list[str]]:
    import yaml  # only files with front matter need it

    try:
        loaded = yaml.safe_load(block)
    except ValueError as err:
        # PyYAML turns date-like values into dates and fails on impossible ones (2025-13-45).
        raise InputError(
            name, f"front matter has an impossible value ({err}); fix the YAML front matter"
        ) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" on line {first_line + mark.line}" if mark is not None else ""
        problem = getattr(err, "problem", None) or "invalid YAML"
        raise InputError(
            name, f"front matter is not valid YAML ({problem}{where}); fix the YAML front matter"
        ) from None
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        raise InputError(name, "front matter is not a block of 'key: value' lines; fix the YAML front matter")
    fields = {str(key).strip().lower(): value for key, value in loaded.items() if value is not None}
    title = " ".join(str(fields.pop("title", "")).split()) or None
    raw_date = fields.pop("date", None)
    date, warnings = None, []
    if isinstance(raw_date, dt.datetime):
        date = raw_date.date().isoformat()
    elif isinstance(raw_date, dt.date):
        date = raw_date.isoformat()
    elif raw_date is not None:
        date = parse_date(str(raw_date))
        if date is None:
            warnings.append(f"front matter date {str(raw_date)!r} is not a date; write it as YYYY-MM-DD")
    metadata = {
        key: ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        for key, value in fields.items()
    }
    return title, date, metadata, warnings


def _take_title(body: list[str], blocks: bool) -> tuple[str | None, list[str]]:
    """Split a title off the first line, if it is one: ``# Title``, or short and unpunctuated.

    Only when more text follows. With blank-line paragraphs the title must be a
    paragraph of its own, else it is the first hard-wrapped line of a paragraph.
    """
    start = next((i for i, line in enumerate(body) if line.strip()), None)
    if start is None or not any(line.strip() for line in body[start + 1 :]):
        return None, body
    first, rest = _norm(body[start]), body[start + 1 :]
    if match := _H1.fullmatch(first):
        return match[1], rest
    if blocks and rest[0].strip():
        return None, body
    if _HEADING.fullmatch(first) or _MARKER.match(first) or not _short_unpunctuated(first):
        return None, body
    return first, rest


def _paragraphs(body: list[str], blocks: bool) -> list[Paragraph]:
    lines = [_norm(line) for line in body]
    if not blocks:
        return [p for line in lines if line for p in _block([line])]
    paragraphs, block = [], []
    for line in lines + [""]:
        if line:
            block.append(line)
        elif block:
            paragraphs += _block(block)
            block = []
    return paragraphs


def _block(lines: list[str]) -> list[Paragraph]:
    """Paragraphs of one blank-line-separated block: headings, list items, joined text."""
    out: list[Paragraph] = []
    parts: list[str] = []
    marker: str | None = None  # None: running text; else the current list item's marker

    def flush() -> None:
        if not parts:
            return
        text = " ".join(parts)
        if marker is not None:
            out.append(Paragraph(text, ParagraphKind.LIST_ITEM, marker))
        elif len(parts) == 1 and _short_unpunctuated(text):
            out.append(Paragraph(text, ParagraphKind.HEADING))
        else:
            out.append(Paragraph(text))
        parts.clear()

    for line in lines:
        if heading := _HEADING.fullmatch(line):
            flush()
            marker = None
            out.append(Paragraph(heading[1], ParagraphKind.HEADING))
        elif item := _MARKER.match(line):
            flush()
            marker = item[0]
            parts.append(line[item.end() :])
        else:
            parts.append(line)  # continues the list item or the running text
    flush()
    return out


def _blocks_mode(body: list[str]) -> bool:
    """True when blank lines separate paragraphs; else every line is a paragraph."""
    filled = [i for i, line in enumerate(body) if line.strip()]
    return bool(filled) and any(not line.strip() for line in body[filled[0] : filled[-1]])


def _short_unpunctuated(text: str) -> bool:
    """Short and without final punctuation: a title or a section heading."""
    end = text.rstrip(_CLOSERS)
    return (
        len(text) <= _SHORT_CHARS
        and len(text.split()) <= _SHORT_WORDS
        and bool(end)
        and end[-1] not in _FINAL_PUNCTUATION
    )


def _norm(line: str) -> str:
    return _SPACES.sub(" ", line.strip())
