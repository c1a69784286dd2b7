"""The Atom feed of the briefings (RFC 4287), so a reader can subscribe to the English briefing itself.

The feed is rebuilt from the briefings' JSON each time (pipeline/stages/brief_feed.py): one entry per
briefing of the newest days, linking its HTML page beside the feed (relative links, so the folder can be
served or copied as it is), its overview as the summary, and its stories (headline, outlets, key points
with what the checks flagged) as XHTML content. The XML is built with the standard library's
ElementTree, which escapes every text and attribute; the text is cleaned first of the characters XML
cannot hold at all (controls, bidi overrides and lone surrogates shown as U+FFFD, as on the pages).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote

from pipeline.briefing.model import Briefing
from pipeline.briefing.outlets import reported_by
from pipeline.text.escaping import clean_text
from pipeline.text.plural import counted

DEFAULT_FEED_DAYS = 30
FEED_NAME = "briefings.atom"
FEED_TITLE = "Dutch news in English: the briefings"
ATOM = "http://www.w3.org/2005/Atom"
XHTML = "http://www.w3.org/1999/xhtml"
# Besides what clean_text replaces, the two noncharacters XML 1.0 refuses.
_NOT_XML = re.compile("[\ufffe\uffff]")


@dataclass(frozen=True)
class FeedEntry:
    """One briefing in the feed."""

    name: str  # its files' stem: "2025-10-06", or "2025-10-05_2025-10-07" for a digest
    briefing: Briefing
    updated: dt.datetime  # when it was made, with its UTC offset


def newest(entries: Sequence[FeedEntry], days: int) -> list[FeedEntry]:
    """The entries of the newest ``days`` days present, newest first; a digest counts on its last day."""
    newest_days = sorted({_last_day(e.name) for e in entries}, reverse=True)[:days]
    kept = [e for e in entries if _last_day(e.name) in newest_days]
    return sorted(kept, key=lambda e: (_last_day(e.name), e.name), reverse=True)


def made_at(generated_at: str, fallback: float) -> dt.datetime:
    """When a briefing was made: its ``generated_at`` when that is an ISO time with a UTC offset,
    else ``fallback`` (its file's time, a POSIX timestamp), in UTC."""
    try:
        value = dt.datetime.fromisoformat(generated_at)
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        return dt.datetime.fromtimestamp(fallback, dt.UTC)
    return value


def feed_id(folder: str, previous: bytes | None) -> uuid.UUID:
    """The feed's id: the one the feed already there has (so it stays when the folder is moved or
    copied), else one made from ``folder``, the folder's absolute URI."""
    if previous:
        try:
            text = ET.fromstring(previous).findtext(_atom("id")) or ""
            return uuid.UUID(text.removeprefix("urn:uuid:"))
        except (ET.ParseError, ValueError):
            pass  # not a feed nlbrief wrote: a new id, as for a first feed
    return uuid.uuid5(uuid.NAMESPACE_URL, folder)


def render_feed(entries: Sequence[FeedEntry], feed_uuid: uuid.UUID) -> bytes:
    """The Atom document (UTF-8) of ``entries``. Each entry's id is made from ``feed_uuid`` and the
    briefing's file name, so it stays the same from one rebuild to the next and a reader sees each
    briefing once (updated when it is rewritten)."""
    ET.register_namespace("", ATOM)
    ET.register_namespace("xhtml", XHTML)
    root = ET.Element(_atom("feed"))
    _text(root, "id", feed_uuid.urn)
    _text(root, "title", FEED_TITLE)
    times = [e.updated for e in entries] or [dt.datetime.fromtimestamp(0, dt.UTC)]
    _text(root, "updated", _time(max(times)))
    ET.SubElement(_text(root, "author", None), _atom("name")).text = "nlbrief"
    _text(root, "generator", "nlbrief")
    ET.SubElement(root, _atom("link"), rel="self", href=FEED_NAME, type="application/atom+xml")
    for entry in entries:
        _entry(root, entry, uuid.uuid5(feed_uuid, entry.name))
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _entry(root: ET.Element, entry: FeedEntry, entry_id: uuid.UUID) -> None:
    b = entry.briefing
    page = f"{entry.name}.html"
    node = ET.SubElement(root, _atom("entry"))
    _text(node, "id", entry_id.urn)
    _text(node, "title", b.title).set("type", "text")
    _text(node, "updated", _time(entry.updated))
    ET.SubElement(node, _atom("link"), rel="alternate", type="text/html", href=page)
    if b.overview.strip():
        _text(node, "summary", b.overview).set("type", "text")
    content = _text(node, "content", None)
    content.set("type", "xhtml")
    div = ET.SubElement(content, _xhtml("div"))
    if b.overview.strip():
        _xtext(div, "p", b.overview)
    if b.missing:
        _xtext(div, "p", f"{counted(len(b.missing), 'article')} could not be processed; the page lists them.")
    for story in b.stories:
        heading = ET.SubElement(div, _xhtml("h2"))
        _xtext(heading, "a", story.headline).set("href", f"{page}#{quote(clean_text(story.anchor))}")
        if outlets := reported_by(story):
            _xtext(div, "p", outlets)
        if story.bullets:
            items = ET.SubElement(div, _xhtml("ul"))
            for bullet, check in story.checked_bullets():
                _xtext(items, "li", f"{bullet} — {check}" if check else bullet)


def _atom(tag: str) -> str:
    return f"{{{ATOM}}}{tag}"


def _xhtml(tag: str) -> str:
    return f"{{{XHTML}}}{tag}"


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", clean_text(text))


def _text(parent: ET.Element, tag: str, text: str | None) -> ET.Element:
    node = ET.SubElement(parent, _atom(tag))
    node.text = None if text is None else _clean(text)
    return node


def _xtext(parent: ET.Element, tag: str, text: str) -> ET.Element:
    node = ET.SubElement(parent, _xhtml(tag))
    node.text = _clean(text)
    return node


def _time(value: dt.datetime) -> str:
    """RFC 3339, as Atom wants it."""
    return value.isoformat(timespec="seconds")


def _last_day(name: str) -> str:
    return name.rsplit("_", 1)[-1]
