"""Properties of reading a document from bytes and rebuilding it from its segments.

tests/test_segment.py proves the segmenter alone drops nothing; these go one step out on both
sides: bytes in any supported encoding -> Document (pipeline/ingest/sources.py) -> sentences
(pipeline/text/segment.py) -> translated units joined again from their sentences
(pipeline/translate/translator.py), over an echo backend so the words come back.

"Loses no character" allows exactly the documented normalisation, which only touches
whitespace: line endings become "\\n"; each line's leading and trailing whitespace (any
``str.isspace`` character) is stripped and runs of spaces and tabs inside it become one space;
the lines of a paragraph are joined with one space; and sentences, or the parts of an over-long
sentence, are joined again with one space (the echo backend, too, gives a sentence's words
back with one space between them). So texts are compared with every run of whitespace made one
space (``" ".join(text.split())``). The reader takes out nothing else but metadata (a ``date``
first line, front matter) and markdown ``#``s, which the generated texts here leave out (``#``)
or are filtered out for (metadata, rare in random text). List markers are kept, in
``Paragraph.marker``.
"""

from __future__ import annotations

import codecs

from helpers.fakes import EchoBackend
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pipeline.errors import InputError
from pipeline.ingest.discover import SourceFile
from pipeline.ingest.document import Document
from pipeline.ingest.sources import read_document
from pipeline.translate.translator import TranslateSettings, Translator

STDIN = SourceFile(None, None, "stdin")  # data is given, so nothing is read and no file date taken

ENCODINGS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8 with BOM": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "utf-16-le with BOM": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be with BOM": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
    "utf-32-le with BOM": lambda text: codecs.BOM_UTF32_LE + text.encode("utf-32-le"),
    "utf-32-be with BOM": lambda text: codecs.BOM_UTF32_BE + text.encode("utf-32-be"),
}

# Any character a text file can hold, except: surrogates (not encodable), control characters
# (a file full of them is refused as binary; tests/test_sources.py covers how few are let
# through), U+FEFF (at the start of UTF-8 it is a byte-order mark by definition) and "#"
# (markdown headings lose their #s, by design). Tab, CR, LF, VT and FF are kept.
CHARACTER = st.characters(
    exclude_categories=("Cs", "Cc"), include_characters="\t\n\r\x0b\x0c", exclude_characters="#\ufeff"
)
# Random text seldom looks like news; pieces of it bring sentence ends, abbreviations, quotes,
# list markers, titles and paragraphs, and long sentences that must be cut.
NEWS_PIECES = (
    "De raad", " stemde", " dinsdag", " in", " met", " het plan", ".", "!", "?", "…", " dhr.", " o.a.",
    " 1.200,50", " € 3", " „Nee”,", " zei", " ze", " café", " ideeën", ",", ";", ":", " (", ")", " ",
    "  ", "\t", "\n", "\n\n", "\r\n", "\n- ", "\n1. ", "\nKop zonder punt\n", " Het", " 😀",
)  # fmt: skip
ANY_TEXT = st.text(CHARACTER, max_size=300) | st.lists(st.sampled_from(NEWS_PIECES), max_size=80).map("".join)
# A line that is surely running text: it starts with a letter that is neither ASCII (no "a) "
# list marker, no "date" line) nor punctuation (no "- " marker, no "---" front matter).
NON_ASCII_LETTER = st.characters(categories=("L",), min_codepoint=0xC0)
IN_LINE = st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t", exclude_characters="\ufeff")
LINE = st.tuples(NON_ASCII_LETTER, st.text(IN_LINE, max_size=40)).map("".join)
PARAGRAPH = st.lists(LINE, min_size=1, max_size=3)
# Lines holding only whitespace are blank; "\r" alone and "\r\n" are line ends too.
BLANK = st.sampled_from(["\n\n", "\n \n", "\r\n\r\n", "\r\r", "\n\t \n\n", "\n\u3000\n", "\n\u2003\n"])


def squeeze(text: str) -> str:
    return " ".join(text.split())


def unit_texts(doc: Document) -> list[str]:
    return [unit.marker + unit.text for unit in doc.units()]


def read_any(data: bytes) -> Document:
    """The document, or the example is dropped when random text happened to be metadata."""
    try:
        doc = read_document(STDIN, data)
    except InputError as err:
        assume(not err.reason.startswith(("front matter", "has no text besides its metadata")))
        raise
    assume(not doc.metadata and doc.date_source != "metadata")
    return doc


@settings(max_examples=150, deadline=None)
@given(text=ANY_TEXT, encoding=st.sampled_from(sorted(ENCODINGS)))
def test_reading_any_text_in_any_encoding_loses_no_character(text: str, encoding: str) -> None:
    data = ENCODINGS[encoding](text)
    if not text.strip():
        try:
            read_document(STDIN, data)
        except InputError as err:
            assert err.reason == "is empty; nothing to translate"
        else:
            raise AssertionError("a blank text was read as a document")
        return
    doc = read_any(data)
    assert squeeze(" ".join(unit_texts(doc))) == squeeze(text)
    assert all(unit.text == unit.text.strip() and unit.text for unit in doc.units())
    # The encoding changes nothing but the recorded encoding.
    as_utf8 = read_document(STDIN, text.encode("utf-8"))
    assert (doc.title, doc.paragraphs) == (as_utf8.title, as_utf8.paragraphs)


@settings(max_examples=150, deadline=None)
@given(
    paragraphs=st.lists(PARAGRAPH, min_size=1, max_size=6),
    blanks=st.lists(BLANK, min_size=5, max_size=5),
    edges=st.tuples(st.sampled_from(["", "\n", " \n\n", "\r\n"]), st.sampled_from(["", "\n", "\n\n \n"])),
)
def test_blank_lines_decide_the_paragraphs(
    paragraphs: list[list[str]], blanks: list[str], edges: tuple[str, str]
) -> None:
    blocks = ["\n".join(lines) for lines in paragraphs]
    body = blocks[0] + "".join(blank + block for blank, block in zip(blanks, blocks[1:], strict=False))
    text = edges[0] + body + edges[1]
    doc = read_any(text.encode("utf-8"))
    if len(blocks) > 1:
        # N blank-line-separated paragraphs are N units (a first one may be the title), in order.
        assert [squeeze(t) for t in unit_texts(doc)] == [squeeze(block) for block in blocks]
    else:
        # Without a blank line, every line is a paragraph of its own.
        assert [squeeze(t) for t in unit_texts(doc)] == [squeeze(line) for line in paragraphs[0]]


@settings(max_examples=120, deadline=None)
@given(
    text=ANY_TEXT
    | st.lists(PARAGRAPH, min_size=1, max_size=5).map(
        lambda ps: "\n\n".join("\n".join(lines) for lines in ps)
    )
)
def test_a_document_is_rebuilt_from_its_segments(text: str) -> None:
    assume(text.strip())
    doc = read_any(text.encode("utf-8"))
    # A small limit, so long sentences are also cut into parts and joined again.
    translator = Translator(EchoBackend(max_input_tokens=8), TranslateSettings(batch_tokens=32))
    [result] = translator.translate_documents([doc])
    units = ([result.title] if result.title else []) + result.paragraphs
    assert [(u.kind, u.marker, u.source) for u in units] == [(p.kind, p.marker, p.text) for p in doc.units()]
    for unit in units:
        assert squeeze(" ".join(s.source for s in unit.sentences)) == squeeze(unit.source)
        assert squeeze(unit.target) == squeeze(unit.source)
