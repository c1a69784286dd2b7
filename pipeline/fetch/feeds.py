"""Feeds read from bytes: RSS 0.9x, 1.0 and 2.0 and Atom through feedparser, each item with the feed's
own text as plain paragraphs.

feedparser is given the bytes nlbrief fetched (an ``io.BytesIO``), never a URL, which it would fetch
itself, past every rule of pipeline/fetch/http.py. XML that declares entities (``<!ENTITY``, a DOCTYPE
with an internal subset) is refused before any parser sees it: that is how a feed reads a local file
into itself (an external entity) or expands a few hundred bytes to gigabytes ("billion laughs").
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from pipeline.errors import FetchError
from pipeline.text.escaping import clean_text

# NUL bytes dropped, UTF-16 and UTF-32 XML reads as ASCII here, so the check holds in every encoding.
_DECLARATIONS = re.compile(rb"<!ENTITY|<!DOCTYPE[^>\[]*\[", re.IGNORECASE)
# The first element after the prolog (XML declaration, comments, processing instructions, a DOCTYPE).
_FEED_START = re.compile(rb"\s*(?:<!--.*?-->\s*|<[!?][^>]*>\s*)*<(?:rss|feed|rdf:RDF)\b", re.DOTALL)
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")


def refuse_xml_tricks(data: bytes, name: str) -> None:
    """FetchError when the XML declares entities of its own (an internal DTD subset, ``<!ENTITY``)."""
    if _DECLARATIONS.search(data.replace(b"\x00", b"")):
        raise FetchError(
            name,
            "refused: the XML declares entities of its own (<!ENTITY or a DOCTYPE with [...]), which can "
            "read local files or expand to gigabytes; no feed needs them",
        )


def looks_like_feed(data: bytes, content_type: str) -> bool:
    """An RSS or Atom document, by its media type or by its first element."""
    head = data[:4096].replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf\xff\xfe")
    return content_type in _FEED_TYPES or bool(_FEED_START.match(head))


@dataclass(frozen=True, kw_only=True)
class FeedItem:
    """One item of a feed, as the feed tells it."""

    key: str  # the item's id (guid), else its link
    url: str | None
    title: str
    text: str  # the feed's own text (its content, else its summary) as paragraphs, "" when it has none
    date: str | None  # YYYY-MM-DD, of its publication (else its update)
    author: str | None
    version: str  # a digest of what the feed says about it: a change means the item changed


@dataclass(frozen=True, kw_only=True)
class Feed:
    title: str | None
    items: list[FeedItem]
    warning: str | None  # a feed that was not well-formed but could be read leniently says so


def parse_feed(data: bytes, url: str, content_type: str | None = None) -> Feed:
    """The feed in ``data``, fetched from ``url`` (which relative links are resolved against) with the
    Content-Type header ``content_type`` (its charset counts)."""
    refuse_xml_tricks(data, url)
    import feedparser  # only fetch needs it

    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    problem = _bozo(parsed)
    if not parsed.entries and (problem or not parsed.get("version")):
        raise FetchError(url, f"not a readable RSS or Atom feed ({problem or 'no feed element'})")
    items = [item for entry in parsed.entries if (item := _item(entry)) is not None]
    warning = f"not well-formed ({problem}); its items were read leniently" if problem else None
    title = one_line(_text(parsed.feed.get("title", ""), parsed.feed.get("title_detail"))) or None
    return Feed(title=title, items=items, warning=warning)


def _bozo(parsed: Any) -> str | None:
    from feedparser.exceptions import ThingsNobodyCaresAboutButMe

    error = parsed.get("bozo_exception")
    # A feed served as text/plain, or whose charset the server and the XML disagree on, reads fine.
    if not parsed.get("bozo") or isinstance(error, ThingsNobodyCaresAboutButMe):
        return None
    return " ".join(str(error).split()) or type(error).__name__


def _item(entry: Any) -> FeedItem | None:
    url = entry.get("link") or None
    title = one_line(_text(entry.get("title", ""), entry.get("title_detail")))
    key = entry.get("id") or url or (title and "title:" + title)
    if not key:
        return None  # nothing to know it by on the next run, nor to fetch
    content = entry.get("content") or []
    if content:
        text = _text(content[0].get("value", ""), content[0])
    else:
        text = _text(entry.get("summary", ""), entry.get("summary_detail"))
    # dict.get: feedparser's own get() answers "updated" with "published", and warns about it.
    stamp = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    date = time.strftime("%Y-%m-%d", stamp) if stamp else None
    author = one_line(entry.get("author")) or None
    told = [title, text, url, dict.get(entry, "updated") or dict.get(entry, "published")]
    version = hashlib.sha256(json.dumps(told, ensure_ascii=False).encode("utf-8")).hexdigest()
    return FeedItem(key=key, url=url, title=title, text=text, date=date, author=author, version=version)


def one_line(text: str | None) -> str:
    """A plain-text field (a title, a name) as one line, control characters shown as U+FFFD."""
    return " ".join(clean_text(text).split())


def _text(value: str, detail: Any) -> str:
    """A feed's field as plain paragraphs: its markup read as HTML when the feed says it is HTML (the
    usual case), else taken as written, so that a plain title's "<" stays text."""
    if "html" in (detail or {}).get("type", "text/html"):
        return fragment_text(value)
    paragraphs = (one_line(block) for block in _BLANK_LINE.split(value))
    return "\n\n".join(p for p in paragraphs if p)


def fragment_text(html: str) -> str:
    """An HTML fragment (a feed item's content) as plain paragraphs separated by blank lines: markup
    dropped, entities decoded, control characters shown as U+FFFD. Not an article extractor: a feed's
    fragment holds the text and nothing around it."""
    parser = _FragmentText()
    parser.feed(html)
    parser.close()
    return "\n\n".join(parser.paragraphs())


class _FragmentText(HTMLParser):
    _BREAKS = frozenset(
        {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table",
         "tr", "section", "article", "figure", "figcaption", "header", "footer", "aside", "hr", "dd", "dt"}
    )  # fmt: skip
    _HIDDEN = frozenset({"script", "style", "template", "noscript"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._blocks: list[list[str]] = [[]]
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden += 1
        elif tag in self._BREAKS:
            self._blocks.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in self._BREAKS:
            self._blocks.append([])

    def handle_data(self, data: str) -> None:
        if self._hidden:
            return
        first, *others = _BLANK_LINE.split(data)  # a plain-text summary's own paragraphs
        self._blocks[-1].append(first)
        self._blocks.extend([part] for part in others)

    def paragraphs(self) -> list[str]:
        texts = (" ".join(clean_text("".join(block)).split()) for block in self._blocks)
        return [text for text in texts if text]
