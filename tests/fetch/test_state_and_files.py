"""The article files (front matter that reads back whatever the title holds, names) and the state file
(what a rerun knows, a damaged one refused with the fix), and robots.txt's answers."""

from __future__ import annotations

import ipaddress
import time
from pathlib import Path

import pytest
from helpers.news_server import Answer, NewsServer

from pipeline.errors import FetchError, OutputError
from pipeline.fetch.http import FetchPolicy, HttpClient
from pipeline.fetch.robots import Robots
from pipeline.fetch.state import STATE_NAME, FetchState, Seen, Validators, normal_url
from pipeline.fetch.writer import Article, new_name, render, slug, write_article
from pipeline.ingest.discover import SourceFile
from pipeline.ingest.sources import read_document

HOSTILE_TITLE = 'Minister: "we gaan door"\n---\ntitle: nep # geen\u202e commentaar'


def article(**changes: str | None) -> Article:
    fields: dict[str, str | None] = {
        "title": "Brug bij Zwolle dicht",
        "text": "Eerste alinea van het bericht.\n\nTweede alinea, met meer uitleg.",
        "date": "2025-11-03",
        "url": "https://example.org/nieuws/brug?id=1&x=2",
        "outlet": "Dagblad Oost",
        "author": "Marieke Hoekstra",
        "feed": "https://example.org/rss.xml",
        "fetched": "2025-11-03T08:00:00+00:00",
        "text_from": "page (trafilatura 2.3.1)",
        **changes,
    }
    return Article(**fields)  # type: ignore[arg-type]


def test_front_matter_reads_back_whatever_the_title_holds(tmp_path: Path) -> None:
    path = write_article(tmp_path, "a.md", article(title=HOSTILE_TITLE, outlet="Krant: \"Oost\" & 'West'"))
    doc = read_document(SourceFile(path, tmp_path, path.name), path.read_bytes())
    assert doc.title == 'Minister: "we gaan door" --- title: nep # geen\ufffd commentaar'
    assert (doc.date, doc.date_source) == ("2025-11-03", "metadata")
    assert doc.metadata["outlet"] == "Krant: \"Oost\" & 'West'"
    assert doc.metadata["url"] == "https://example.org/nieuws/brug?id=1&x=2"
    assert doc.metadata["text_from"] == "page (trafilatura 2.3.1)"
    assert [p.text for p in doc.paragraphs] == [
        "Eerste alinea van het bericht.",
        "Tweede alinea, met meer uitleg.",
    ]


def test_an_undated_article_has_no_date_in_its_front_matter() -> None:
    text = render(article(date=None, author=None, feed=None))
    assert "date:" not in text and "author:" not in text and "feed:" not in text


def test_names_are_dated_slugs_and_never_taken_twice() -> None:
    assert slug("Café in 's-Hertogenbosch: 1.200 bezoekers!") == "cafe-in-s-hertogenbosch-1-200-bezoekers"
    assert slug("¿?") == "artikel"
    assert len(slug("woord " * 40)) <= 60
    taken = {"2025-11-03-brug-bij-zwolle-dicht.md"}
    assert new_name(article(), "2025-11-03", taken) == "2025-11-03-brug-bij-zwolle-dicht-2.md"


def test_the_state_remembers_feeds_items_urls_and_texts(tmp_path: Path) -> None:
    seen = Seen(
        feed="f", key="k1", url="HTTPS://Example.org/a?utm_source=x&id=3#boven", version="v1",
        content_hash="h1", path="a.md", status="written", etag='"e"', last_modified=None,
    )  # fmt: skip
    with FetchState(tmp_path) as state:
        state.save_feed("f", Validators('"1"', "Mon, 03 Nov 2025 07:30:00 GMT"))
        state.remember(seen)
    with FetchState(tmp_path) as state:
        assert state.feed_validators("f") == Validators('"1"', "Mon, 03 Nov 2025 07:30:00 GMT")
        assert state.feed_validators("g") is None
        assert state.seen("f", "k1", None) == replace_url(seen, "https://example.org/a?id=3")
        assert state.seen("other", "k9", "https://example.org/a?id=3&utm_medium=rss") is not None
        assert state.with_text("h1") is not None and state.with_text("h2") is None
        assert state.paths() == {"a.md"}
    assert normal_url("https://example.org/a?utm_source=x#f") == "https://example.org/a"


def replace_url(seen: Seen, url: str) -> Seen:
    from dataclasses import replace

    return replace(seen, url=url)


def test_a_damaged_state_file_stops_the_run_with_the_fix(tmp_path: Path) -> None:
    (tmp_path / STATE_NAME).write_bytes(b"dit is geen database" * 100)
    with pytest.raises(OutputError, match=r"cannot be read as nlbrief's fetch state .*; move .* away"):
        FetchState(tmp_path)


@pytest.mark.parametrize(
    ("answer", "allowed", "reason"),
    [
        (Answer(b"User-agent: nlbrief\nDisallow: /prive/\n", "text/plain"), False, "does not allow it"),
        (Answer(b"User-agent: *\nDisallow: /prive/\n", "text/plain"), False, "does not allow it"),
        (Answer(b"User-agent: anderebot\nDisallow: /\n", "text/plain"), True, ""),
        (Answer(b"weg", status=404), True, ""),
        (Answer(b"nee", status=403), False, "does not allow it"),
        (Answer(b"storing", status=503), False, r"robots.txt of 127.0.0.1 could not be read \(HTTP 503\)"),
    ],
)
def test_robots_txt_answers(answer: Answer, allowed: bool, reason: str) -> None:
    policy = FetchPolicy(
        timeout=5, max_bytes=1 << 20, delay=0, private_allowed=(ipaddress.ip_network("127.0.0.1/32"),)
    )
    with NewsServer() as site:
        site.route("/robots.txt", answer)
        robots = Robots(HttpClient(policy))
        for _ in range(2):
            if allowed:
                robots.permit(site.url("/prive/stuk"))
            else:
                with pytest.raises(FetchError, match=reason):
                    robots.permit(site.url("/prive/stuk"))
        assert len(site.asked("/robots.txt")) == 1  # read once per site and run


def test_a_crawl_delay_slows_the_requests_to_its_host() -> None:
    policy = FetchPolicy(
        timeout=5, max_bytes=1 << 20, delay=0, private_allowed=(ipaddress.ip_network("127.0.0.1/32"),)
    )
    with NewsServer() as site:
        site.route("/robots.txt", Answer(b"User-agent: nlbrief\nCrawl-delay: 1\n", "text/plain"))
        site.route("/a", Answer(b"a"))
        client = HttpClient(policy)
        robots = Robots(client)
        start = time.monotonic()
        client.get_ok(site.url("/a"), permit=robots.permit)
        client.get_ok(site.url("/a"), permit=robots.permit)
    assert time.monotonic() - start >= 2  # robots.txt, then each page a second after the one before
