"""Feeds from bytes (RSS, Atom, hostile XML), the feed's own text, and the lists of feeds (TOML, OPML)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.news_site import LAUGHS_FEED, STORIES, XXE_FEED, atom_feed, rss_feed

from pipeline.errors import FetchError, UsageError
from pipeline.fetch.feeds import fragment_text, looks_like_feed, parse_feed, refuse_xml_tricks
from pipeline.fetch.sources import FeedSpec, feeds_in_opml, feeds_in_toml, plan_sources


def test_rss_items_come_with_their_id_link_date_and_the_feeds_own_text() -> None:
    feed = parse_feed(
        rss_feed("Dagblad Oost", [(s, f"http://example.org/{s.slug}") for s in STORIES[:2]]), "x"
    )
    assert feed.title == "Dagblad Oost" and feed.warning is None
    first = feed.items[0]
    assert (first.key, first.url, first.date) == (
        "brug-zwolle",
        "http://example.org/brug-zwolle",
        "2025-11-03",
    )
    assert first.title == STORIES[0].title and first.text == STORIES[0].summary


def test_atom_entries_and_relative_links() -> None:
    data = atom_feed("Noorderkrant", [(STORIES[2], "/artikel/haven")])
    item = parse_feed(data, "http://example.org/feeds/atom.xml").items[0]
    assert item.url == "http://example.org/artikel/haven"
    assert (item.key, item.author, item.date) == (
        "urn:nieuws:haven-harlingen",
        "Sietske de Vries",
        "2025-11-04",
    )


def test_a_changed_item_has_another_version() -> None:
    before = parse_feed(rss_feed("t", [(STORIES[0], "http://example.org/a")]), "x").items[0]
    edited = STORIES[0].__class__(**{**STORIES[0].__dict__, "summary": "Nieuwe samenvatting."})
    after = parse_feed(rss_feed("t", [(edited, "http://example.org/a")]), "x").items[0]
    assert before.key == after.key and before.version != after.version


@pytest.mark.parametrize("data", [XXE_FEED, LAUGHS_FEED, XXE_FEED.decode().encode("utf-16")])
def test_entity_declarations_are_refused_before_any_parser_sees_them(data: bytes) -> None:
    with pytest.raises(FetchError, match="declares entities of its own"):
        parse_feed(data, "http://example.org/feed")


def test_a_plain_doctype_is_fine() -> None:
    refuse_xml_tricks(
        b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "x.dtd"><rss/>', "x"
    )


def test_a_malformed_feed_without_items_is_one_reason() -> None:
    with pytest.raises(FetchError, match="not a readable RSS or Atom feed"):
        parse_feed(b"<rss><channel><title>kapot</titel>", "http://example.org/feed")


def test_a_malformed_feed_with_items_is_read_leniently_and_says_so() -> None:
    data = rss_feed("t", [(STORIES[0], "http://example.org/a")]).replace(b"</channel>", b"<oeps></channel>")
    feed = parse_feed(data, "x")
    assert feed.items and feed.warning is not None and "read leniently" in feed.warning


def test_feeds_are_told_from_pages() -> None:
    assert looks_like_feed(rss_feed("t", []), "text/xml")
    assert looks_like_feed(atom_feed("t", []), "application/octet-stream")
    assert looks_like_feed(b"<x/>", "application/rss+xml")
    assert not looks_like_feed(b"<!DOCTYPE html><html><body>nieuws</body></html>", "text/html")


def test_the_feeds_html_becomes_plain_paragraphs() -> None:
    html = "<p>Eerste &amp; <b>vet</b>.</p><script>alert(1)</script><p>Tweede\u202eregel.<br>Derde.</p>"
    assert fragment_text(html) == "Eerste & vet.\n\nTweede\ufffdregel.\n\nDerde."
    assert fragment_text("Een.\n\nTwee.") == "Een.\n\nTwee."


def test_toml_feeds_with_names_and_patterns(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(
        '[oost]\nurl = "http://example.org/rss"\nname = "Dagblad Oost"\nexclude = ["*liveblog*"]\n'
        '[noord]\nurl = "http://example.org/atom"\ninclude = ["*haven*", "*brug*"]\n',
        encoding="utf-8",
    )
    oost, noord = feeds_in_toml(path)
    assert (oost.name, oost.exclude, noord.include) == (
        "Dagblad Oost",
        ("*liveblog*",),
        ("*haven*", "*brug*"),
    )
    items = parse_feed(rss_feed("t", [(s, f"http://example.org/{s.slug}") for s in STORIES]), "x").items
    assert [i.key for i in items if noord.wants(i)] == ["brug-zwolle", "haven-harlingen"]
    assert FeedSpec(url="u", exclude=("*BRUG*",)).wants(items[0]) is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[a]\nname = 'x'\n", "has no url"),
        ("[a]\nurl = 'http://x'\nfilter = 'y'\n", "unknown key 'filter'; the keys are url, name, include"),
        ("[a]\nurl = 'http://x'\ninclude = 3\n", "include must be a list of glob patterns"),
        ("url = 'http://x'\n", "is not a table"),
        ("[a\n", "is not valid TOML"),
        ("", "names no feed"),
    ],
)
def test_a_wrong_feeds_file_is_a_usage_error_naming_it(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=message) as caught:
        feeds_in_toml(path)
    assert str(path) in str(caught.value)


def test_opml_feeds_and_sources_in_order(tmp_path: Path) -> None:
    opml = tmp_path / "abonnementen.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>Mijn feeds</title></head><body>'
        '<outline text="Nieuws"><outline type="rss" text="Dagblad Oost" xmlUrl="http://example.org/rss"/>'
        '<outline type="rss" title="Noorderkrant" xmlUrl="http://example.org/atom"/></outline></body></opml>',
        encoding="utf-8",
    )
    assert [(s.url, s.name) for s in feeds_in_opml(opml)] == [
        ("http://example.org/rss", "Dagblad Oost"),
        ("http://example.org/atom", "Noorderkrant"),
    ]
    planned = plan_sources(["http://example.org/a", str(opml), "http://example.org/rss"], [])
    assert [s.url for s in planned] == [
        "http://example.org/a",
        "http://example.org/rss",
        "http://example.org/atom",
    ]


def test_an_opml_with_entities_or_no_feeds_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.opml"
    bad.write_bytes(XXE_FEED.replace(b"rss", b"opml"))
    with pytest.raises(UsageError, match="declares entities"):
        feeds_in_opml(bad)
    empty = tmp_path / "leeg.opml"
    empty.write_text("<opml><body/></opml>", encoding="utf-8")
    with pytest.raises(UsageError, match="not an OPML file of feeds"):
        feeds_in_opml(empty)


def test_plain_text_fields_keep_their_angle_brackets_and_html_ones_lose_their_markup() -> None:
    data = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Krant</title><id>f</id>
<entry><id>e1</id><title type="text">Kosten &lt;5 miljoen&gt; volgens rapport</title>
<link href="http://example.org/e1"/><updated>2025-11-03T07:00:00Z</updated>
<summary type="html">&lt;p&gt;Het &lt;b&gt;rapport&lt;/b&gt; is uit.&lt;/p&gt;
&lt;p&gt;Meer volgt.&lt;/p&gt;</summary>
</entry></feed>"""
    [item] = parse_feed(data, "http://example.org/atom").items
    assert item.title == "Kosten <5 miljoen> volgens rapport"
    assert item.text == "Het rapport is uit.\n\nMeer volgt."
