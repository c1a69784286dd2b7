"""Saved web pages as inputs: read_document extracts a page's article into a Document (its title, date,
author and address in the metadata, the extractor recorded), and refuses a page without one."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.pages import (
    ARTICLE_PAGE,
    ARTICLE_PARAGRAPHS,
    AUTHOR,
    DATE,
    EMPTY_PAGE,
    SECOND_FIRST_WORDS,
    SECOND_PAGE,
    SECOND_TITLE,
    TITLE,
    URL,
)

from pipeline.errors import InputError
from pipeline.ingest.document import DateSource, Document, ParagraphKind
from pipeline.ingest.html import MIN_ARTICLE_WORDS
from pipeline.ingest.reading import read_input
from pipeline.ingest.sources import SourceFile, read_document
from pipeline.run.contracts import DEFAULT_MAX_FILE_SIZE

PAGE = "<!DOCTYPE html><html><head><title>Brug</title></head><body><article><p>{}</p></article></body></html>"
WORDS = " ".join(["De gemeente bouwt een nieuwe brug over de rivier."] * 8)


def read(tmp_path: Path, name: str, data: str | bytes) -> Document:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    src = SourceFile(path, tmp_path, name)
    return read_document(src, read_input(src, DEFAULT_MAX_FILE_SIZE))


def test_an_html_file_becomes_a_document_of_its_article(tmp_path: Path) -> None:
    doc = read(tmp_path, "fietsbrug.html", ARTICLE_PAGE)
    assert (doc.title, doc.date, doc.date_source) == (TITLE, DATE, DateSource.METADATA)
    assert doc.metadata["extractor"].startswith("trafilatura ")
    assert (doc.metadata["url"], doc.metadata["author"]) == (URL, AUTHOR)
    article = [p for p in doc.paragraphs if p.text in ARTICLE_PARAGRAPHS]
    assert [p.text for p in article] == ARTICLE_PARAGRAPHS
    kinds = {p.text: p.kind for p in article}
    assert kinds["Provincie betaalt mee"] is ParagraphKind.HEADING
    assert kinds[ARTICLE_PARAGRAPHS[0]] is ParagraphKind.TEXT
    assert doc.warnings == [] and doc.encoding == "utf-8"


def test_a_page_without_a_date_is_dated_by_the_usual_rules(tmp_path: Path) -> None:
    doc = read(tmp_path, "2025-10-09-brug.htm", PAGE.format(WORDS))
    assert (doc.date, doc.date_source) == ("2025-10-09", DateSource.FILENAME)
    assert doc.metadata == {"extractor": doc.metadata["extractor"]}  # no address, no author: none recorded


def test_a_txt_holding_a_page_is_extracted_with_a_warning(tmp_path: Path) -> None:
    doc = read(tmp_path, "dijk.txt", SECOND_PAGE)
    assert doc.title == SECOND_TITLE and doc.paragraphs[0].text.startswith(SECOND_FIRST_WORDS)
    assert doc.warnings == ["holds a web page, not plain text: its article was extracted"]


def test_a_page_without_article_text_is_refused_with_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read(tmp_path, "niet-gevonden.html", EMPTY_PAGE)
    message = str(err.value)
    assert message.startswith(f"{tmp_path / 'niet-gevonden.html'}: is a web page without article text")
    assert f"no {MIN_ARTICLE_WORDS} words" in message and "\n" not in message
    assert message.endswith("save the article's text as a .txt or .md file and pass that")


def test_markdown_with_inline_html_is_still_read_as_text(tmp_path: Path) -> None:
    doc = read(tmp_path, "2025-10-09-kort.md", "# Kort nieuws\n\nDe trein rijdt <em>niet</em> vandaag.\n")
    assert doc.title == "Kort nieuws" and doc.paragraphs[0].text == "De trein rijdt <em>niet</em> vandaag."
    assert "extractor" not in doc.metadata


def test_a_page_in_a_legacy_encoding_is_read_right(tmp_path: Path) -> None:
    head = '<html><head><meta charset="windows-1252"><title>Café</title></head>'
    page = f"{head}<body><article><p>Eén café, één idee. {WORDS}</p></article></body></html>"
    doc = read(tmp_path, "2025-10-09-cafe.html", page.encode("cp1252"))
    assert doc.paragraphs[0].text.startswith("Eén café, één idee. De gemeente")
    assert doc.encoding == "cp1252" and "cp1252" in doc.warnings[0]
