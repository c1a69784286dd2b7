"""Briefing rendering: structure of the Markdown, HTML and JSON pages, and that no text from an article
or a model can change that structure (escaping, link schemes, no scripts).
"""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from helpers.briefings import (
    HOSTILE_TEXTS,
    JS_LINK,
    JS_URL,
    NOT_HEADING,
    OVERVIEW,
    SCRIPT,
    benign_twin,
    hostile_briefing,
    sample_briefing,
)
from helpers.html import Element, parse_html

from pipeline.briefing.model import MissingArticle
from pipeline.briefing.render import (
    briefing_from_dict,
    render_html,
    render_json,
    render_markdown,
    renderer,
)
from pipeline.errors import UnknownChoiceError
from pipeline.text.escaping import http_url
from pipeline.text.html_page import CSP


def shape(events: list[tuple]) -> list[tuple]:
    """The events with the values that depend on the text taken out: what is left is the page structure."""

    def attr_value(name: str, value: str | None) -> str | None:
        if name == "href" and value is not None:
            if value.startswith("#"):
                return value
            return "http(s)" if value.startswith(("http://", "https://")) else "relative"
        return value

    out = []
    for event in events:
        if event[0] == "start":
            out.append(("start", event[1], tuple((n, attr_value(n, v)) for n, v in event[2])))
        else:
            out.append(event)
    return out


def sections(tree: Element) -> list[Element]:
    return list(tree.iter("section"))


def space(text: str) -> str:
    return " ".join(text.split())


# --- HTML: structure ------------------------------------------------------------------------------


def test_html_head_is_a_valid_self_contained_page():
    page = render_html(sample_briefing())
    assert page.startswith("<!doctype html>\n")
    tree = parse_html(page).root
    (html_el,) = tree.iter("html")
    assert html_el.attrs == {"lang": "en"}
    metas = [m.attrs for m in tree.iter("meta")]
    assert metas[0] == {"charset": "utf-8"}
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in metas
    assert {"http-equiv": "Content-Security-Policy", "content": CSP} in metas
    assert CSP == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    (title,) = tree.iter("title")
    assert title.text() == "Dutch news in English — 6 October 2025 (2025-10-06)"
    (h1,) = tree.iter("h1")
    assert h1.text() == "Dutch news in English — 6 October 2025"
    assert "2025-10-06" in next(p for p in tree.iter("p") if p.attrs.get("class") == "period").text()


def test_html_loads_nothing_and_runs_nothing():
    b = sample_briefing()
    page = render_html(b)
    tree = parse_html(page).root
    assert "<script" not in page.lower()
    for tag in (
        "script",
        "link",
        "img",
        "iframe",
        "object",
        "embed",
        "base",
        "form",
        "svg",
        "video",
        "audio",
    ):
        assert not list(tree.iter(tag)), tag
    (style,) = tree.iter("style")
    css = style.text().lower()
    assert "url(" not in css and "@import" not in css and "http" not in css and "@font-face" not in css
    story_urls = {http_url(s.url) for story in b.stories for s in story.sources if http_url(s.url)}
    hrefs = set()
    for node in tree.iter():
        for name, value in node.attrs.items():
            assert not name.startswith("on"), (node.tag, name)
            assert name != "style", node.tag
            if value and "http" in value:
                assert node.tag == "a" and name == "href", (node.tag, name, value)
                hrefs.add(value)
    assert hrefs == story_urls
    assert "width=device-width" in page and "@media print" in page and "break-inside: avoid" in page
    assert "overflow-wrap: anywhere" in page


def test_html_toc_lists_every_story_and_each_story_is_one_section():
    b = sample_briefing()
    tree = parse_html(render_html(b)).root
    (nav,) = tree.iter("nav")
    toc = [(a.attrs["href"], a.text()) for a in nav.iter("a")]
    assert toc == [(f"#{s.anchor}", s.headline) for s in b.stories]
    secs = sections(tree)
    assert [s.attrs["id"] for s in secs] == [s.anchor for s in b.stories]
    for sec, story in zip(secs, b.stories, strict=True):
        (h2,) = sec.iter("h2")
        assert h2.text() == story.headline
        bullets = next(sec.iter("ul"))
        marks = story.bullet_checks + [""] * (len(story.bullets) - len(story.bullet_checks))
        shown = [
            f"{bullet} {mark}" if mark else bullet for bullet, mark in zip(story.bullets, marks, strict=True)
        ]
        assert [li.text() for li in bullets.iter("li")] == shown
        (sources,) = [ul for ul in sec.iter("ul") if ul.attrs.get("class") == "sources"]
        items = list(sources.iter("li"))
        assert len(items) == len(story.sources)
        for li, source in zip(items, story.sources, strict=True):
            (cite,) = li.iter("cite")
            assert cite.attrs == {"lang": "nl"} and cite.text() == source.original_title
            assert source.date in li.text()
            assert ("(file date)" in li.text()) == (source.date_source == "mtime")
            if source.outlet:
                assert source.outlet in li.text()
            if source.url:
                assert source.url in li.text() and source.source_path not in li.text()
            else:
                assert source.source_path in li.text()


def test_html_multi_source_story_shows_both_sources():
    b = sample_briefing()
    tree = parse_html(render_html(b)).root
    storm = sections(tree)[0]
    assert [h3.text() for h3 in storm.iter("h3")] == ["Sources (2)", "Checks"]
    text = space(storm.text())
    assert "Storm legt havens aan de Noordzee stil" in text
    assert "Veerdiensten naar de Waddeneilanden uitgevallen door zware wind" in text
    assert "Voorbeeldkrant" in text and "Regionaal Dagblad" in text
    assert "2025-10-06 (file date)" in text  # the second source's date is the file's mtime
    links = [(a.attrs.get("class"), a.attrs["href"]) for a in storm.iter("a")]
    assert links == [
        ("url", "https://www.example.nl/nieuws/2025/10/06/storm-legt-havens-stil"),
        ("translation", "translations/2025-10-06-storm-noordzee.html"),
        ("translation", "translations/regio/veerdiensten%20waddeneilanden.html"),
    ]
    (nav,) = tree.iter("nav")
    first = next(nav.iter("li"))
    assert space(first.text()).endswith("2 sources")
    assert [h3.text() for h3 in sections(tree)[1].iter("h3")] == ["Source", "Checks"]


def test_html_story_of_several_sources_says_whose_headline_and_bullets_it_shows():
    b = sample_briefing()
    storm, bikes = sections(parse_html(render_html(b)).root)[:2]
    (said,) = [p for p in storm.iter("p") if p.attrs.get("class") == "from"]
    assert space(said.text()) == (
        "Headline and key points from Voorbeeldkrant; each source's own headline is listed below."
    )
    (sources,) = [ul for ul in storm.iter("ul") if ul.attrs.get("class") == "sources"]
    items = list(sources.iter("li"))
    headlines = [[n.text() for n in li.iter("span") if n.attrs.get("class") == "headline"] for li in items]
    assert headlines == [[s.headline] for s in b.stories[0].sources]
    marks = [[n.text() for n in li.iter("span") if n.attrs.get("class") == "lead"] for li in items]
    assert marks == [["(headline and key points above)"], []]
    # one source: its headline is the story's, and there is no one else's bullets to tell apart
    assert not [n for n in bikes.iter() if n.attrs.get("class") in {"from", "headline", "lead"}]


def test_the_page_follows_bullets_from_and_names_a_source_without_an_outlet():
    b = sample_briefing()
    story = b.stories[0]
    story.bullets_from = 1
    story.sources[1].outlet = None
    md = render_markdown(b)
    assert (
        "Headline and key points from “Veerdiensten naar de Waddeneilanden uitgevallen door zware wind”; "
        in md
    )
    lines = md.splitlines()
    assert [line.split(" — ")[0] for line in lines if "(headline and key points above)" in line] == [
        "- High winds stop the ferries to Texel, Vlieland and Terschelling (headline and key points above)"
    ]
    story.sources[1].original_title = None
    story.sources[0].headline = None
    md = render_markdown(b)
    assert "Headline and key points from veerdiensten-waddeneilanden.md; " in md
    assert "- (no headline) — *Storm legt havens aan de Noordzee stil* — " in md
    sec = sections(parse_html(render_html(b)).root)[0]
    assert "from veerdiensten-waddeneilanden.md;" in space(sec.text())


MISSING = [
    MissingArticle("nieuws/2025-10-06-kapot.txt", "looks like a binary file (not text; it has NUL bytes)"),
    MissingArticle("nieuws/duits.txt", "looks like German, not Dutch"),
]


def test_missing_articles_are_listed_on_every_page():
    b = dataclasses.replace(sample_briefing(), missing=MISSING)
    lines = render_markdown(b).splitlines()
    start = lines.index("## Not in this briefing")
    assert lines[start : start + 6] == [
        "## Not in this briefing",
        "",
        "2 articles could not be processed and are missing:",
        "",
        "- nieuws/2025-10-06-kapot.txt: looks like a binary file (not text; it has NUL bytes)",
        "- nieuws/duits.txt: looks like German, not Dutch",
    ]
    assert lines.index("## Contents") < start < lines.index('<a id="storm-noordzee"></a>')
    tree = parse_html(render_html(b)).root
    (aside,) = tree.iter("aside")
    assert aside.attrs["class"] == "missing" and next(aside.iter("h2")).text() == "Not in this briefing"
    assert [space(li.text()) for li in aside.iter("li")] == [f"{m.source_path}: {m.reason}" for m in MISSING]
    assert "1 article could not be processed and is missing:" in render_markdown(
        dataclasses.replace(b, missing=MISSING[:1])
    )
    data = json.loads(render_json(b))
    assert data["missing"] == [{"source_path": m.source_path, "reason": m.reason} for m in MISSING]
    assert briefing_from_dict(data) == b
    # a complete briefing has no such section
    assert "Not in this briefing" not in render_markdown(sample_briefing())
    assert not list(parse_html(render_html(sample_briefing())).root.iter("aside"))


def test_html_headings_are_in_order():
    tree = parse_html(render_html(sample_briefing())).root
    levels = [int(n.tag[1]) for n in tree.iter() if re.fullmatch(r"h[1-6]", n.tag)]
    assert levels[0] == 1 and levels.count(1) == 1
    for previous, level in zip(levels, levels[1:], strict=False):
        assert level <= previous + 1, levels


def test_html_footer_has_generated_at_models_and_notes():
    b = sample_briefing()
    tree = parse_html(render_html(b)).root
    (footer,) = tree.iter("footer")
    text = space(footer.text())
    assert "Generated at 2025-10-06T18:30:00+02:00" in text
    assert (
        "translator: Helsinki-NLP/opus-mt-nl-en" in text and "summarizer: Qwen/Qwen2.5-0.5B-Instruct" in text
    )
    assert b.notes[0] in text


def test_html_of_an_empty_briefing():
    b = dataclasses.replace(sample_briefing(), stories=[], notes=[], models={}, overview="")
    tree = parse_html(render_html(b)).root
    assert not list(tree.iter("nav")) and not sections(tree)
    assert "No stories for this period." in tree.text()


def test_story_without_bullets_or_sources():
    b = sample_briefing()
    b.stories[0].bullets, b.stories[0].sources, b.stories[0].checks = [], [], []
    sec = sections(parse_html(render_html(b)).root)[0]
    assert [n.tag for n in sec.iter() if n is not sec] == ["h2"]
    md = render_markdown(b)
    assert "### Sources (2)" not in md and "Veerdiensten" not in md


def test_anchor_outside_the_contract_is_refused():
    b = sample_briefing()
    b.stories[0].anchor = 'x"><script>'
    with pytest.raises(ValueError, match="anchor"):
        render_html(b)
    with pytest.raises(ValueError, match="anchor"):
        render_markdown(b)


# --- HTML: hostile text ---------------------------------------------------------------------------


def test_hostile_html_has_exactly_the_structure_of_a_benign_page():
    hostile = hostile_briefing()
    page = render_html(hostile)
    parsed = parse_html(page)
    benign = parse_html(render_html(benign_twin(hostile)))
    assert shape(parsed.events) == shape(benign.events)
    assert [e for e in parsed.events if e[0] not in {"start", "end"}] == [("decl", "doctype html")]
    assert "<script" not in page.lower() and "<!--" not in page and "<img" not in page.lower()
    assert not list(parsed.root.iter("script"))


def test_hostile_strings_are_shown_as_text():
    b = hostile_briefing()
    tree = parse_html(render_html(b)).root
    secs = sections(tree)
    assert [s.attrs["id"] for s in secs] == ["kalm-nieuws", "hostile"]
    hostile = secs[1]
    assert next(hostile.iter("h2")).text() == SCRIPT
    assert [li.text() for li in next(hostile.iter("ul")).iter("li")] == b.stories[1].bullets
    text = tree.text()
    for s in HOSTILE_TEXTS:
        assert s in text, s
    cites = [c.text() for c in hostile.iter("cite")]
    assert cites == [NOT_HEADING, JS_LINK]
    assert next(p for p in tree.iter("p") if p.attrs.get("class") == "overview").text() == OVERVIEW
    assert next(tree.iter("h1")).text() == b.title
    # javascript: is text, never a link; the quote-breaking https URL stays inside its href
    hrefs = [a.attrs["href"] for a in hostile.iter("a")]
    assert not any(h.lower().startswith("javascript") for h in hrefs)
    assert JS_URL in hostile.text()
    assert hrefs == [
        "translations/%22%3E%3Cscript%3Ealert%281%29%3C/script%3E.html",
        "https://example.org/a%22onmouseover=%22alert%281%29",
        ".//evil.example.com/x",
    ]
    assert all(set(a.attrs) == {"class", "href"} for a in hostile.iter("a"))
    headlines = [n.text() for n in hostile.iter("span") if n.attrs.get("class") == "headline"]
    assert headlines == [s.headline for s in b.stories[1].sources]
    (aside,) = tree.iter("aside")
    assert [li.text() for li in aside.iter("li")] == [f"{m.source_path}: {m.reason}" for m in b.missing]


def test_control_characters_do_not_reach_the_page():
    b = sample_briefing()
    b.stories[0].headline = "Storm\x00 closes\x1b ports\ud800"
    page = render_html(b)
    page.encode("utf-8")
    assert "\x00" not in page and "\x1b" not in page
    assert "Storm\ufffd closes\ufffd ports\ufffd" in page


# --- Markdown -------------------------------------------------------------------------------------

HEADING = re.compile(r"^ {0,3}#{1,6}(\s|$)")


def md_headings(text: str) -> list[str]:
    return [line for line in text.splitlines() if HEADING.match(line)]


def md_links(text: str) -> list[str]:
    """The targets of every ``[...](...)`` link: a ``](`` not preceded by a backslash-escaped ``]``."""
    return re.findall(r"(?<!\\)\]\(([^)\s]*)\)", text)


def test_markdown_structure():
    b = sample_briefing()
    md = render_markdown(b)
    assert md_headings(md) == [
        "# Dutch news in English — 6 October 2025",
        "## Contents",
        "## Storm closes North Sea ports; ferries to the Wadden islands cancelled",
        "### Sources (2)",
        "### Checks",
        "## Utrecht opens a second underground bicycle garage for 7,000 bikes",
        "### Source",
        "### Checks",
        "## Cabinet wants to halve the time it takes to get a building permit",
        "### Source",
        "### Checks",
        "## Frisian dairy cooperative raises the price it pays farmers for milk",
        "### Source",
        "### Checks",
        "## About this briefing",
    ]
    assert "Period: 2025-10-06" in md
    assert b.overview in md
    toc = [line for line in md.splitlines() if re.match(r"\d+\. \[", line)]
    assert toc == [
        "1. [Storm closes North Sea ports; ferries to the Wadden islands cancelled](#storm-noordzee)"
        " — 2 sources",
        "2. [Utrecht opens a second underground bicycle garage for 7,000 bikes](#fietsenstalling-utrecht)",
        "3. [Cabinet wants to halve the time it takes to get a building permit](#woningbouw)",
        "4. [Frisian dairy cooperative raises the price it pays farmers for milk](#melkprijs)",
    ]
    for story in b.stories:
        assert f'<a id="{story.anchor}"></a>' in md.splitlines()
    assert md_links(md) == [
        "#storm-noordzee",
        "#fietsenstalling-utrecht",
        "#woningbouw",
        "#melkprijs",
        "https://www.example.nl/nieuws/2025/10/06/storm-legt-havens-stil",
        "translations/2025-10-06-storm-noordzee.html",
        "translations/regio/veerdiensten%20waddeneilanden.html",
        "https://www.example.nl/utrecht/fietsenstalling-%28west%29?ref=home&page=2",
        "translations/2025-10-06-fietsenstalling-utrecht.html",
        "https://www.example.nl/politiek/woningbouw-vergunningen",
        "translations/melkprijs.html",
    ]
    lines = md.splitlines()
    second = next(line for line in lines if "Veerdiensten" in line)
    assert second == (
        "- High winds stop the ferries to Texel, Vlieland and Terschelling — "
        "*Veerdiensten naar de Waddeneilanden uitgevallen door zware wind* — Regionaal Dagblad — "
        "2025-10-06 (file date) — nieuws/regio/veerdiensten-waddeneilanden.md — "
        "[full translation](translations/regio/veerdiensten%20waddeneilanden.html)"
    )
    # a story of several sources says whose headline and bullets it shows, and each source shows its own
    first = lines.index(second) - 1
    assert lines[first].startswith(
        "- Storm closes North Sea ports; ferries to the Wadden islands cancelled "
        "(headline and key points above) — *Storm legt havens aan de Noordzee stil* — Voorbeeldkrant — "
    )
    assert lines[first - 4 : first - 1] == [
        "Headline and key points from Voorbeeldkrant; each source's own headline is listed below.",
        "",
        "### Sources (2)",
    ]
    assert sum("key points" in line for line in lines) == 2  # single-source stories say nothing of it
    assert "- The first 24 hours of parking are free; after that a day costs €1.35." in lines
    assert "Generated at 2025-10-06T18:30:00+02:00\\" in lines
    assert "Translator: Helsinki-NLP/opus-mt-nl-en\\" in lines


def test_hostile_markdown_creates_no_headings_links_or_html():
    b = hostile_briefing()
    md = render_markdown(b)
    assert md_headings(md) == [
        "# Briefing \\<\\!-- the rest is hidden",
        "## Contents",
        "## Not in this briefing",
        "## Quiet day at the Tweede Kamer",
        "### Source",
        "## \\<script\\>alert(1)\\</script\\>",
        "### Sources (2)",
        "## About this briefing",
    ]
    assert md_links(md) == [
        "#kalm-nieuws",
        "#hostile",
        "https://www.example.nl/kalm",
        "translations/kalm.html",
        "translations/%22%3E%3Cscript%3Ealert%281%29%3C/script%3E.html",
        "https://example.org/a%22onmouseover=%22alert%281%29",
        ".//evil.example.com/x",
    ]
    # the only raw HTML is the renderer's own anchors; every other < is escaped
    raw = [m.start() for m in re.finditer(r"(?<!\\)<", md)]
    assert [md[i : md.index(">", i) + 1] for i in raw] == [
        '<a id="kalm-nieuws">',
        "</a>",
        '<a id="hostile">',
        "</a>",
    ]
    assert md.count("<script>") == 0 and "\\<script\\>" in md
    lines = md.splitlines()
    # newlines inside a bullet do not start new blocks, and block syntax at its start is escaped
    assert "- \\- a list? \\# a heading? \\`\\`\\` fenced" in lines
    assert (
        "\\*\\*bold\\*\\* \\<b\\>x\\</b\\> and \\`code\\` with \\!\\[img\\](https\\://example.org/x.png)"
        in lines
    )
    assert "- \\1. \\# Not a heading" not in lines and "- 1\\. \\# Not a heading" in lines
    assert (
        "- \\</section\\>\\<h1\\>fake\\</h1\\> (headline and key points above) — *\\# Not a heading* — "
        "\\<i\\>Outlet\\</i\\> \\| table \\| — 2025-10-06 (file date) — " in md
    )
    assert "- \\[link\\](javascript:alert(1)) \\#\\# two — *\\[link\\](javascript:alert(1))* — " in md
    assert "Headline and key points from \\<i\\>Outlet\\</i\\> \\| table \\|; each source's own" in md
    assert "- nieuws/\\</section\\>\\<h1\\>fake\\</h1\\>.txt: \\<script\\>alert(1)\\</script\\>" in lines
    assert "- nieuws/tweede.txt: \\- \\[link\\](javascript:alert(1)) \\# \\<\\!-- the rest is hidden" in lines


def test_hostile_markdown_through_a_commonmark_renderer():
    """The cross-check with a real Markdown implementation (markdown-it-py comes with typer's rich)."""
    markdown_it = pytest.importorskip("markdown_it")
    b = hostile_briefing()
    out = (
        markdown_it.MarkdownIt("commonmark")
        .enable("table")
        .enable("strikethrough")
        .render(render_markdown(b))
    )
    assert "<script" not in out and "<img" not in out and "<b>" not in out and "<!--" not in out
    assert "<i>" not in out and "<table" not in out and "<code>" not in out
    assert re.findall(r"<h(\d)>", out) == ["1", "2", "2", "2", "3", "2", "3", "2"]
    toc, notes, missing = len(b.stories), len(b.notes), len(b.missing)
    items = sum(len(story.bullets) + len(story.sources) for story in b.stories)
    assert len(re.findall(r"<li>", out)) == toc + missing + items + notes
    hrefs = re.findall(r'<a href="([^"]*)"', out)
    assert not any(h.lower().startswith(("javascript", "data")) for h in hrefs)
    assert hrefs == [
        "#kalm-nieuws",
        "#hostile",
        "https://www.example.nl/kalm",
        "translations/kalm.html",
        "translations/%22%3E%3Cscript%3Ealert%281%29%3C/script%3E.html",
        "https://example.org/a%22onmouseover=%22alert%281%29",
        ".//evil.example.com/x",
    ]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


# --- JSON and the format table --------------------------------------------------------------------


def test_json_round_trips():
    for b in (sample_briefing(), hostile_briefing()):
        text = render_json(b)
        data = json.loads(text)
        assert data == dataclasses.asdict(b)
        assert briefing_from_dict(data) == b
    text = render_json(sample_briefing())
    assert "Zuivelcoöperatie" in text and "€1.35" in text
    assert text.startswith('{\n  "title": ') and text.endswith("}\n")


def test_renderer_table():
    assert renderer("html") == (".html", render_html)
    assert renderer("md") == (".md", render_markdown)
    assert renderer("json") == (".json", render_json)
    with pytest.raises(UnknownChoiceError):
        renderer("pdf")
