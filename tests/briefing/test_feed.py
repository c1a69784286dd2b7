"""The Atom feed of the briefings: valid Atom 1.0 that parses, its entries, and hostile text kept as text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET

from helpers.briefings import SCRIPT, hostile_briefing, sample_briefing

from pipeline.briefing.feed import ATOM, FEED_NAME, XHTML, FeedEntry, feed_id, made_at, newest, render_feed

A = f"{{{ATOM}}}"
X = f"{{{XHTML}}}"
FOLDER = feed_id("file:///srv/briefings", None)


def entry(name: str, when: str = "2025-10-06T18:30:00+02:00", **changes: object) -> FeedEntry:
    briefing = dataclasses.replace(sample_briefing(), **changes)  # type: ignore[arg-type]
    return FeedEntry(name, briefing, dt.datetime.fromisoformat(when))


def parse(data: bytes) -> ET.Element:
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n")
    return ET.fromstring(data)


def test_the_feed_is_atom_with_an_entry_per_briefing() -> None:
    entries = [entry("2025-10-07", "2025-10-07T19:00:00+02:00"), entry("2025-10-06")]
    root = parse(render_feed(entries, FOLDER))
    assert root.tag == f"{A}feed"
    # what RFC 4287 requires of a feed: id, title, updated, an author (here for every entry)
    assert root.findtext(f"{A}id", "").startswith("urn:uuid:")
    assert root.findtext(f"{A}title") == "Dutch news in English: the briefings"
    assert root.findtext(f"{A}updated") == "2025-10-07T19:00:00+02:00"
    assert root.findtext(f"{A}author/{A}name") == "nlbrief"
    (self_link,) = root.findall(f"{A}link")
    assert self_link.attrib == {"rel": "self", "href": FEED_NAME, "type": "application/atom+xml"}
    items = root.findall(f"{A}entry")
    assert [e.find(f"{A}link").attrib["href"] for e in items] == ["2025-10-07.html", "2025-10-06.html"]
    b = sample_briefing()
    first = items[0]
    ids = [e.findtext(f"{A}id") for e in items]
    assert all(i.startswith("urn:uuid:") for i in ids) and len(set(ids)) == 2
    assert first.findtext(f"{A}title") == b.title
    assert first.findtext(f"{A}updated") == "2025-10-07T19:00:00+02:00"
    assert first.findtext(f"{A}summary") == b.overview
    content = first.find(f"{A}content")
    assert content is not None and content.attrib == {"type": "xhtml"}
    (div,) = list(content)
    assert div.tag == f"{X}div"
    heads = div.findall(f"{X}h2/{X}a")
    assert [a.text for a in heads] == [s.headline for s in b.stories]
    assert heads[0].attrib["href"] == "2025-10-07.html#storm-noordzee"
    points = [li.text for li in div.iter(f"{X}li")]
    assert points[2] == f"{b.stories[0].bullets[2]} — Check: date 'Tuesday' is not in the article"
    assert len(points) == sum(len(s.bullets) for s in b.stories)


def test_the_ids_stay_the_same_from_one_rebuild_to_the_next() -> None:
    one = parse(render_feed([entry("2025-10-06")], FOLDER))
    two = parse(render_feed([entry("2025-10-07"), entry("2025-10-06")], FOLDER))
    assert one.findtext(f"{A}id") == two.findtext(f"{A}id")
    assert one.find(f"{A}entry").findtext(f"{A}id") == two.findall(f"{A}entry")[1].findtext(f"{A}id")
    other = parse(render_feed([entry("2025-10-06")], feed_id("file:///srv/other", None)))
    assert other.findtext(f"{A}id") != one.findtext(f"{A}id")  # another folder, another feed
    # the folder moved: the feed there keeps its id, and so its entries keep theirs
    moved = feed_id("file:///var/www/briefings", render_feed([entry("2025-10-06")], FOLDER))
    assert moved == FOLDER
    assert feed_id("file:///srv/briefings", b"<not-a-feed") == FOLDER


def test_hostile_text_stays_text_in_the_feed() -> None:
    b = hostile_briefing()
    b.title += " \x00\x1b\ufffe\ud800 & ]]>"
    data = render_feed([FeedEntry("2025-10-06", b, dt.datetime(2025, 10, 6, tzinfo=dt.UTC))], FOLDER)
    root = parse(data)
    (item,) = root.findall(f"{A}entry")
    assert item.findtext(f"{A}title") == b.title.replace("\x00", "\ufffd").replace("\x1b", "\ufffd").replace(
        "\ufffe", "\ufffd"
    ).replace("\ud800", "\ufffd")
    assert item.findtext(f"{A}summary") == b.overview
    div = item.find(f"{A}content/{X}div")
    # nothing in the content but the feed's own elements: text never became markup
    assert {e.tag for e in div.iter()} <= {f"{X}{tag}" for tag in ("div", "p", "h2", "a", "ul", "li")}
    assert [a.attrib["href"] for a in div.iter(f"{X}a")] == [
        "2025-10-06.html#kalm-nieuws",
        "2025-10-06.html#hostile",
    ]
    assert [li.text for li in div.iter(f"{X}li")] == [*b.stories[0].bullets, *b.stories[1].bullets]
    text = "".join(div.itertext())
    assert b.overview in text and SCRIPT in text and b"<script" not in data
    assert all(hostile in data.decode("utf-8") for hostile in ("&lt;script&gt;", "&amp;", "]]&gt;"))


def test_the_newest_days_are_kept_and_a_digest_counts_on_its_last_day() -> None:
    names = ["2025-10-04", "2025-10-06", "2025-10-05", "2025-10-03_2025-10-05", "2025-10-01"]
    entries = [entry(name) for name in names]
    assert [e.name for e in newest(entries, 2)] == ["2025-10-06", "2025-10-05", "2025-10-03_2025-10-05"]
    assert [e.name for e in newest(entries, 30)][-1] == "2025-10-01"
    assert newest([], 3) == []


def test_when_a_briefing_was_made() -> None:
    assert made_at("2025-10-06T18:30:00+0200", 0).isoformat() == "2025-10-06T18:30:00+02:00"
    fallback = dt.datetime(2025, 10, 6, 16, 30, tzinfo=dt.UTC).timestamp()
    for text in ("2025-10-06T18:30:00", "yesterday", ""):  # no offset, or no time: the file's
        assert made_at(text, fallback).isoformat() == "2025-10-06T16:30:00+00:00"
