"""Web pages: the article in a page's HTML (its text, title, date and author), extracted by trafilatura.

The one owner of article extraction: whatever reads a web page (the ``.html`` files of input folders, in
pipeline/ingest/sources.py) goes through ``extract_article``. trafilatura keeps the article and leaves
out what surrounds it: navigation, cookie banners, related links, comments, footers.

What is parsed is bounded: a page over MAX_PAGE_CHARS is refused unparsed, one of more than
MAX_PAGE_ELEMENTS elements is parsed but not searched for its article (InputError, either way). Within
those bounds lxml parses (libxml2 caps nesting depth and expands no entity a page declares) and
trafilatura searches; whatever they raise on hostile markup becomes the page's InputError.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any

from pipeline.errors import InputError
from pipeline.ingest.reading import megabytes

# Fewer words than this is no article: what is left of a cookie wall, a paywall, an error or an index
# page is 10 to 30 words, while a short news brief runs to 50 or more.
MIN_ARTICLE_WORDS = 40
# A news page, scripts and styles included, is well under 5 MB; one saved with its images inline as
# data URIs can reach this. Beyond it a page is refused rather than parsed: parsing costs time and
# memory in proportion to its size, and no article needs more.
MAX_PAGE_CHARS = 20 * 1024 * 1024
# Searching a page for its article costs more than linear time in its elements: on a 2-core machine
# 40,000 elements of link lists took 11 s, 120,000 took 67 s. An article page has a few thousand.
MAX_PAGE_ELEMENTS = 50_000
SAVE_TEXT_FIX = "save the article's text as a .txt or .md file and pass that"
# Text that starts like a whole page rather than Markdown's inline HTML (a <br>, an <em>).
_PAGE_START = re.compile(
    r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)(?=[\s>])",
    re.IGNORECASE | re.DOTALL,
)
# White space, which a browser shows as one space (trafilatura does the same inside its elements).
_SPACES = re.compile(r"\s+")
# trafilatura's elements that separate the words around them; the others (hi, ref, del) sit inside words.
_SEPARATING = frozenset(
    {"lb", "p", "head", "quote", "list", "item", "table", "row", "cell", "code", "graphic"}
)


@dataclass(frozen=True)
class ExtractedPage:
    """What a page says of its article. ``text`` holds the paragraphs separated by blank lines (a
    list's items are lines of one paragraph, each after "- "), the text itself as extracted."""

    title: str | None
    text: str
    date: str | None  # ISO YYYY-MM-DD, when the page says
    author: str | None
    extractor: str  # which extraction produced the text: "trafilatura 2.3.1"
    url: str | None = None  # the page's address: the one given, else the page's canonical link


def looks_like_page(text: str) -> bool:
    """Whether ``text`` starts like a whole web page (``<!DOCTYPE html>``, ``<html>``, ``<head>`` or
    ``<body>``, after an XML declaration or comments), whatever the file is called."""
    return _PAGE_START.match(text) is not None


def extract_article(html: str | bytes, url: str | None = None) -> ExtractedPage | None:
    """The article of a web page; None when the page holds no usable article text (fewer than
    MIN_ARTICLE_WORDS words). Bytes are decoded as the page declares. Raises InputError, naming
    ``url`` (else "the page"), for a page over MAX_PAGE_CHARS (not parsed) or MAX_PAGE_ELEMENTS (parsed,
    not searched for its article), and for one that trafilatura fails on."""
    name = url or "the page"
    if len(html) > MAX_PAGE_CHARS:
        size = f"is {megabytes(len(html))} of HTML, over the {megabytes(MAX_PAGE_CHARS)} a page may have"
        raise InputError(name, size, SAVE_TEXT_FIX)
    trafilatura = _trafilatura()
    try:
        tree = trafilatura.load_html(html)
        if tree is None:
            return None
        if (elements := sum(1 for _ in tree.iter())) > MAX_PAGE_ELEMENTS:
            many = f"has {elements:,} HTML elements, more than the {MAX_PAGE_ELEMENTS:,} a page may have"
            raise InputError(name, many, SAVE_TEXT_FIX)
        found = trafilatura.bare_extraction(
            tree,
            url=url,
            favor_precision=True,
            include_comments=False,
            include_images=False,
            include_links=False,
            with_metadata=True,
        )
    except InputError:
        raise
    except Exception as err:
        # Hostile markup breaks the parsers in ways no list foresees (htmldate once failed an assert):
        # one page fails with one line, and the run goes on.
        failed = f"could not be read as a web page (trafilatura failed: {type(err).__name__})"
        raise InputError(name, failed, SAVE_TEXT_FIX) from None
    return _page(found, url, trafilatura.__version__) if found is not None else None


def _page(found: Any, url: str | None, version: str) -> ExtractedPage | None:
    """trafilatura's findings as an ExtractedPage; None with too few words of article."""
    title = _clean(found.title)
    blocks = _blocks(found.body) if found.body is not None else []
    if blocks and title and blocks[0] == title:
        blocks = blocks[1:]  # the headline, inside the article: it is the title, not a paragraph
    text = "\n\n".join(blocks)
    if len(text.split()) < MIN_ARTICLE_WORDS:
        return None
    return ExtractedPage(
        title=title,
        text=text,
        date=_iso_date(found.date),
        author=_clean(found.author),
        extractor=f"trafilatura {version}",
        url=_clean(found.url) or url,
    )


def _blocks(body: Any) -> list[str]:
    """The paragraphs of trafilatura's body, one per element (p, head, quote, table...), each on one
    line; a list is one paragraph of "- " lines, one per item. Text between elements is a paragraph
    of its own: nothing the extraction kept is dropped."""
    blocks = [text] if (text := _clean(body.text)) else []
    for element in body:
        if element.tag == "list":
            lines = [text] if (text := _clean(element.text)) else []
            lines += [f"- {line}" for item in element if (line := _clean(f"{_flat(item)} {item.tail or ''}"))]
            blocks += ["\n".join(lines)] if lines else []
        elif text := _flat(element):
            blocks.append(text)
        blocks += [tail] if (tail := _clean(element.tail)) else []
    return blocks


def _flat(element: Any) -> str:
    """An element's text on one line: its parts joined as written (a bold word inside a sentence stays
    glued to its comma), with a space where a line break, a cell or a nested block separates them."""
    parts = [element.text or ""]
    for child in element:
        gap = " " if child.tag in _SEPARATING else ""
        parts += [gap, _flat(child), gap, child.tail or ""]
    return _clean("".join(parts)) or ""


def _clean(text: str | None) -> str | None:
    """White space runs (the page's line breaks and indentation) as one space; None when nothing is left."""
    cleaned = _SPACES.sub(" ", text or "").strip()
    return cleaned or None


def _iso_date(value: str | None) -> str | None:
    try:
        return dt.date.fromisoformat(value[:10]).isoformat() if value else None
    except ValueError:
        return None


@cache
def _trafilatura() -> ModuleType:
    """trafilatura, imported on first use: it brings lxml, htmldate and justext; most runs read no page."""
    import trafilatura

    # Its loggers say why a page gave nothing; that is said once, as the file's error. Without a
    # handler of their own, Python would print their warnings on stderr.
    for name in ("trafilatura", "htmldate", "courlan", "justext"):
        logging.getLogger(name).addHandler(logging.NullHandler())
        logging.getLogger(name).propagate = False
    return trafilatura
