"""`nlbrief fetch` as a library (pipeline.fetch.fetcher.run_fetch) against a news site on 127.0.0.1:
files written and read back by nlbrief's own reader, reruns, changes, moves, and hostile sources.

The site is on 127.0.0.1, so the policy allows that one address (as --allow-private would, and no
other): a redirect to another local address is still refused.
"""

from __future__ import annotations

import gzip
import ipaddress
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.news_server import Answer, NewsServer
from helpers.news_site import (
    BOILERPLATE,
    ENGLISH_STORY,
    LAUGHS_FEED,
    STORIES,
    XXE_FEED,
    Story,
    article_page,
    atom_feed,
    rss_feed,
)

from pipeline.fetch.fetcher import FetchReport, FetchRequest, PageExtractor, run_fetch
from pipeline.fetch.http import FetchPolicy
from pipeline.fetch.state import STATE_NAME
from pipeline.ingest.discover import SourceFile
from pipeline.ingest.document import Document
from pipeline.ingest.sources import read_document
from pipeline.run.lock import LOCK_NAME

MB = 1024 * 1024
LOOPBACK_ONLY = (ipaddress.ip_network("127.0.0.1/32"),)


class ListLog:
    def __init__(self) -> None:
        self.notes: list[str] = []
        self.errors: list[str] = []

    def note(self, text: str) -> None:
        self.notes.append(text)

    def error(self, text: str) -> None:
        self.errors.append(text)


@pytest.fixture
def extract() -> PageExtractor:
    """The one article extractor, as pipeline/app.py wires it."""
    from pipeline.ingest.html import extract_article

    return extract_article


def fetch(
    out: Path, sources: list[str], extract: PageExtractor, *, timeout: float = 5.0
) -> tuple[FetchReport, ListLog]:
    policy = FetchPolicy(timeout=timeout, max_bytes=2 * MB, delay=0.0, private_allowed=LOOPBACK_ONLY)
    request = FetchRequest(sources=sources, feeds_files=[], out_dir=out, policy=policy, wait_for_lock=False)
    log = ListLog()
    return run_fetch(request, extract, log), log


def read_back(path: Path) -> Document:
    return read_document(SourceFile(path, path.parent, path.name), path.read_bytes())


def serve_news(site: NewsServer) -> None:
    """An RSS feed of the first two stories, an Atom feed of the other two, and their pages."""
    for story in STORIES:
        site.route(f"/nieuws/{story.slug}", Answer(article_page(story), etag=f'"{story.slug}-1"'))
    rss = [(s, site.url(f"/nieuws/{s.slug}")) for s in STORIES[:2]]
    atom = [(s, site.url(f"/nieuws/{s.slug}")) for s in STORIES[2:]]
    site.route("/rss.xml", Answer(rss_feed("Dagblad Oost", rss), "application/rss+xml", etag='"rss-1"'))
    site.route(
        "/atom.xml",
        Answer(
            atom_feed("Noorderkrant", atom),
            "application/atom+xml",
            last_modified="Wed, 05 Nov 2025 08:00:00 GMT",
        ),
    )
    site.route("/robots.txt", Answer(b"User-agent: *\nDisallow: /verboden/\n", content_type="text/plain"))


def test_two_feeds_give_one_file_per_item_with_the_article_text_only(
    tmp_path: Path, extract: PageExtractor
) -> None:
    with NewsServer() as site:
        serve_news(site)
        report, log = fetch(tmp_path, [site.url("/rss.xml"), site.url("/atom.xml")], extract)
    assert (report.exit_code, log.errors, len(report.written)) == (0, [], 4)
    for story in STORIES:
        [path] = [
            tmp_path / name
            for name in report.written
            if story.paragraphs[0][:20] in (tmp_path / name).read_text()
        ]
        assert path.name.startswith(story.date + "-")
        doc = read_back(path)
        assert (doc.title, doc.date, doc.date_source) == (story.title, story.date, "metadata")
        assert doc.metadata["url"] == site.url(f"/nieuws/{story.slug}")
        assert doc.metadata["outlet"] in ("Dagblad Oost", "Noorderkrant")
        assert doc.metadata["source"].startswith("http://127.0.0.1:")  # the feed that listed it
        assert doc.metadata["text_from"].startswith("page (")
        body = "\n".join(p.text for p in doc.paragraphs)
        for paragraph in story.paragraphs:
            assert paragraph in body
        for word in BOILERPLATE:
            assert word not in path.read_text(encoding="utf-8"), (word, path.name)
    assert any("text from the page (trafilatura" in note for note in log.notes)


def test_a_rerun_writes_nothing_and_asks_with_the_feeds_validators(
    tmp_path: Path, extract: PageExtractor
) -> None:
    with NewsServer() as site:
        serve_news(site)
        sources = [site.url("/rss.xml"), site.url("/atom.xml")]
        fetch(tmp_path, sources, extract)
        before = {p.name: p.read_bytes() for p in tmp_path.glob("*.md")}
        pages_asked = len([r for r in site.requests if r.path.startswith("/nieuws/")])
        report, log = fetch(tmp_path, sources, extract)
    assert (report.written, report.updated, report.failed) == ([], [], [])
    assert site.asked("/rss.xml")[-1].headers["if-none-match"] == '"rss-1"'
    assert site.asked("/atom.xml")[-1].headers["if-modified-since"] == "Wed, 05 Nov 2025 08:00:00 GMT"
    assert sum("not changed since the last run" in note for note in log.notes) == 2
    assert len([r for r in site.requests if r.path.startswith("/nieuws/")]) == pages_asked
    assert {p.name: p.read_bytes() for p in tmp_path.glob("*.md")} == before and len(before) == 4


def test_a_changed_item_is_fetched_again_into_its_own_file(tmp_path: Path, extract: PageExtractor) -> None:
    with NewsServer() as site:
        serve_news(site)
        fetch(tmp_path, [site.url("/rss.xml")], extract)
        files = sorted(p.name for p in tmp_path.glob("*.md"))
        changed = replace(
            STORIES[0],
            summary="De brug gaat een week later dicht dan gepland.",
            paragraphs=(
                *STORIES[0].paragraphs,
                "Update: de afsluiting begint een week later, op 24 november.",
            ),
        )
        site.route(f"/nieuws/{changed.slug}", Answer(article_page(changed), etag=f'"{changed.slug}-2"'))
        feed = rss_feed(
            "Dagblad Oost",
            [
                (changed, site.url(f"/nieuws/{changed.slug}")),
                (STORIES[1], site.url(f"/nieuws/{STORIES[1].slug}")),
            ],
        )
        site.route("/rss.xml", Answer(feed, "application/rss+xml", etag='"rss-2"'))
        report, _ = fetch(tmp_path, [site.url("/rss.xml")], extract)
        assert site.asked(f"/nieuws/{changed.slug}")[-1].headers.get("if-none-match") == f'"{changed.slug}-1"'
        assert len(site.asked(f"/nieuws/{STORIES[1].slug}")) == 1
    assert (report.written, len(report.updated), report.already) == ([], 1, 1)
    assert sorted(p.name for p in tmp_path.glob("*.md")) == files
    assert "op 24 november" in (tmp_path / report.updated[0]).read_text(encoding="utf-8")


def test_a_moved_or_republished_article_is_not_written_twice(tmp_path: Path, extract: PageExtractor) -> None:
    with NewsServer() as site:
        serve_news(site)
        fetch(tmp_path, [site.url("/rss.xml")], extract)
        story = STORIES[0]
        site.route("/archief/2025/brug", Answer(article_page(story)))
        moved = replace(story, slug="brug-zwolle-v2")
        site.route(
            "/rss.xml",
            Answer(
                rss_feed("Dagblad Oost", [(moved, site.url("/archief/2025/brug"))]), "application/rss+xml"
            ),
        )
        report, log = fetch(tmp_path, [site.url("/rss.xml"), site.url(f"/nieuws/{STORIES[1].slug}")], extract)
    assert (report.written, report.updated, report.already) == ([], [], 2)
    assert any("moved or published again" in note for note in log.notes)
    assert len(list(tmp_path.glob("*.md"))) == 2


def test_the_feeds_own_text_is_written_when_the_page_gives_none(
    tmp_path: Path, extract: PageExtractor
) -> None:
    story = STORIES[1]
    with NewsServer() as site:
        site.route(
            "/app",
            Answer(b'<!DOCTYPE html><html><body><div id="app"></div><script>laad()</script></body></html>'),
        )
        site.route(
            "/rss.xml", Answer(rss_feed("Dagblad Oost", [(story, site.url("/app"))]), "application/rss+xml")
        )
        report, log = fetch(tmp_path, [site.url("/rss.xml")], extract)
    [name] = report.written
    doc = read_back(tmp_path / name)
    assert doc.metadata["text_from"] == "feed"
    assert [p.text for p in doc.paragraphs] == [story.summary]
    assert any("the feed's own text is written" in note for note in log.notes)


def hostile_site(site: NewsServer) -> list[str]:
    """A feed whose items are each hostile in one way (and one good one), and hostile feeds."""
    good = STORIES[3]
    pages: dict[str, Answer] = {
        "/nieuws/goed": Answer(article_page(good)),
        "/verboden/geheim": Answer(article_page(STORIES[0])),
        "/nieuws/groot": Answer(stream=50 * MB),
        "/nieuws/bom": Answer(gzip.compress(b"<p>" + b"a" * (40 * MB)), headers={"Content-Encoding": "gzip"}),
        "/nieuws/rondje": Answer(status=302, headers={"Location": "/nieuws/rondje2"}),
        "/nieuws/rondje2": Answer(status=302, headers={"Location": "/nieuws/rondje"}),
        "/nieuws/stil": Answer(stall=True),
        "/nieuws/lokaal": Answer(status=302, headers={"Location": "http://127.0.0.2/intern"}),
        "/nieuws/bestand": Answer(status=302, headers={"Location": "file:///etc/passwd"}),
        "/nieuws/engels": Answer(article_page(ENGLISH_STORY)),
    }
    for path, answer in pages.items():
        site.route(path, answer)
    items = [
        (replace(STORIES[1], slug=path.rsplit("/", 1)[1], title=f"Bericht {path}"), site.url(path))
        for path in pages
        if path != "/nieuws/rondje2"  # the loop's other half
    ]
    items[0] = (good, site.url("/nieuws/goed"))
    site.route("/gemengd.xml", Answer(rss_feed("Gemengd", items), "application/rss+xml"))
    site.route("/xxe.xml", Answer(XXE_FEED, "application/rss+xml"))
    site.route("/lachen.xml", Answer(LAUGHS_FEED, "application/rss+xml"))
    site.route(
        "/kapot.xml",
        Answer(b'<?xml version="1.0"?><rss version="2.0"><channel><title>kapot', "application/rss+xml"),
    )
    site.route("/robots.txt", Answer(b"User-agent: *\nDisallow: /verboden/\n", content_type="text/plain"))
    return [site.url(p) for p in ("/xxe.xml", "/lachen.xml", "/kapot.xml", "/gemengd.xml")]


def test_hostile_sources_each_give_one_line_and_the_good_article_still_arrives(
    tmp_path: Path, extract: PageExtractor
) -> None:
    with NewsServer() as site:
        report, log = fetch(tmp_path, hostile_site(site), extract, timeout=1.0)
        url = site.url
    expected = {
        url("/xxe.xml"): "declares entities of its own",
        url("/lachen.xml"): "declares entities of its own",
        url("/kapot.xml"): "not a readable RSS or Atom feed",
        url("/verboden/geheim"): "robots.txt of 127.0.0.1",
        url("/nieuws/groot"): "over the 2.0 MB limit (--max-size)",
        url("/nieuws/bom"): "gzip bomb",
        url("/nieuws/rondje"): "redirect loop",
        url("/nieuws/stil"): "no complete answer within 1 s (--timeout)",
        url(
            "/nieuws/lokaal"
        ): "redirected to http://127.0.0.2/intern: refused: 127.0.0.2 is a private or local address",
        url("/nieuws/bestand"): "redirected to file:///etc/passwd: refused: only http and https",
    }
    assert len(log.errors) == len(expected), log.errors
    for source, reason in expected.items():
        [line] = [e for e in log.errors if e.startswith(source + ": ")]
        assert reason in line, line
    assert report.exit_code == 1 and report.not_dutch == 1
    assert any(n.startswith(url("/nieuws/engels")) and "reads as English, not Dutch" in n for n in log.notes)
    [written] = report.written
    assert STORIES[3].paragraphs[0] in (tmp_path / written).read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([written, STATE_NAME, LOCK_NAME])
    assert "root:" not in (tmp_path / written).read_text(encoding="utf-8")


def test_failed_items_are_tried_again_by_the_next_run(tmp_path: Path, extract: PageExtractor) -> None:
    story: Story = STORIES[2]
    with NewsServer() as site:
        site.route(
            "/rss.xml",
            Answer(rss_feed("t", [(story, site.url("/nieuws/x"))]), "application/rss+xml", etag='"1"'),
        )
        site.route("/nieuws/x", Answer(b"even niet", status=503))
        first, _ = fetch(tmp_path, [site.url("/rss.xml")], extract)
        site.route("/nieuws/x", Answer(article_page(story)))
        second, _ = fetch(tmp_path, [site.url("/rss.xml")], extract)
        assert "if-none-match" not in site.asked("/rss.xml")[-1].headers
    assert (first.exit_code, len(first.failed), second.exit_code, len(second.written)) == (1, 1, 0, 1)
    assert "HTTP 503" in first.failed[0]


def test_an_article_in_two_feeds_is_fetched_and_written_once(tmp_path: Path, extract: PageExtractor) -> None:
    story = STORIES[2]
    with NewsServer() as site:
        page = site.url(f"/nieuws/{story.slug}")
        site.route(f"/nieuws/{story.slug}", Answer(article_page(story)))
        site.route("/rss.xml", Answer(rss_feed("Dagblad Oost", [(story, page)]), "application/rss+xml"))
        site.route("/atom.xml", Answer(atom_feed("Noorderkrant", [(story, page)]), "application/atom+xml"))
        report, _ = fetch(tmp_path, [site.url("/rss.xml"), site.url("/atom.xml")], extract)
        assert len(site.asked(f"/nieuws/{story.slug}")) == 1
    assert (len(report.written), report.already) == (1, 1)
    assert len(list(tmp_path.glob("*.md"))) == 1


def test_a_page_in_the_charset_its_server_names_reads_right(tmp_path: Path, extract: PageExtractor) -> None:
    story = replace(
        STORIES[1],
        paragraphs=(
            *STORIES[1].paragraphs,
            "Het café naast de bibliotheek blijft op zondag één uur langer open, tot zes uur 's avonds.",
        ),
    )
    latin1 = article_page(story).decode("utf-8").replace('<meta charset="utf-8">', "").encode("latin-1")
    with NewsServer() as site:
        site.route("/p", Answer(latin1, "text/html; charset=iso-8859-1"))
        report, _ = fetch(tmp_path, [site.url("/p")], extract)
    [name] = report.written
    assert "ï¿½" not in (text := (tmp_path / name).read_text(encoding="utf-8")) and "\ufffd" not in text
    assert story.paragraphs[-1] in text


def test_feeds_from_an_opml_file_and_a_toml_list_with_filters(tmp_path: Path, extract: PageExtractor) -> None:
    out = tmp_path / "nieuws"
    with NewsServer() as site:
        serve_news(site)
        opml = tmp_path / "feeds.opml"
        opml.write_text(
            f'<opml version="2.0"><body><outline text="Oost" xmlUrl="{site.url("/rss.xml")}"/></body></opml>',
            encoding="utf-8",
        )
        toml = tmp_path / "feeds.toml"
        toml.write_text(
            f'[noord]\nurl = "{site.url("/atom.xml")}"\nname = "Het Noorden"\ninclude = ["*haven*"]\n'
        )
        policy = FetchPolicy(timeout=5, max_bytes=2 * MB, delay=0.0, private_allowed=LOOPBACK_ONLY)
        request = FetchRequest(
            sources=[str(opml)], feeds_files=[toml], out_dir=out, policy=policy, wait_for_lock=False
        )
        report = run_fetch(request, extract, ListLog())
        assert site.asked(f"/nieuws/{STORIES[3].slug}") == []  # left out by the include pattern
    outlets = {read_back(out / name).metadata["outlet"] for name in report.written}
    assert (len(report.written), outlets) == (3, {"Oost", "Het Noorden"})  # the names the lists give
