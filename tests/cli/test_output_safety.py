"""Output safety: whatever an article or a model writes, the outputs keep the structure nlbrief gives them.

``tests/test_briefing_render.py`` holds the briefing's layout and a first hostile briefing. This file puts a
wider set of hostile strings (markup, script URLs, Markdown block and inline syntax, line breaks, invisible
and bidi control characters, NULs, very long words) into every field of every output that people read:
the briefing page (HTML) and Markdown and the translation page here; the per-article record pages (Markdown
and HTML) in tests/test_article_pages.py, with these strings and parsers. Each output is
read back with a real parser (the stdlib's html.parser; markdown-it-py for CommonMark) and checked for two
things: no structure came from the text, and none of the text was lost.

markdown-it-py is not a dependency of nlbrief: it comes with rich, which typer (a dependency) requires.
Its link validation is switched off below, so that a ``javascript:`` link nlbrief let through is reported
here rather than quietly dropped by the parser.
"""

from __future__ import annotations

import json
import re

import pytest
from helpers.html import by_class, parse_html
from helpers.safety import (
    ACTIVE,
    BIDI,
    HOSTILE,
    MARKDOWN_CHARS,
    NEVER_BLOCKS,
    NEVER_INLINE,
    TITLE,
    assert_inert,
    front_matter,
    hostile_briefing,
    hostile_document,
    read_markdown,
    safe_target,
    several_sources_briefing,
    unescaped,
    visible,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.briefing.render import render_html, render_markdown
from pipeline.ingest.document import ParagraphKind
from pipeline.text.escaping import http_url, md_inline, relative_link
from pipeline.translate.formats import render_md


def test_hostile_briefing_page_has_no_active_content() -> None:
    parsed = assert_inert(render_html(hostile_briefing()))
    assert list(parsed.root.iter("a"))


def test_hostile_briefing_page_shows_all_the_text() -> None:
    b = hostile_briefing()
    root = parse_html(render_html(b)).root
    (h1,) = root.iter("h1")
    assert visible(h1.text()) == visible(b.title)
    (title,) = root.iter("title")
    assert visible(title.text()) == visible(f"{b.title} ({b.period})")
    assert visible(by_class(root, "p", "overview")[0].text()) == visible(b.overview)
    (nav,) = root.iter("nav")
    toc = list(nav.iter("a"))
    assert [visible(a.text()) for a in toc] == [visible(s.headline) for s in b.stories]
    assert [a.attrs["href"] for a in toc] == [f"#{s.anchor}" for s in b.stories]

    sections = list(root.iter("section"))
    assert [s.attrs["id"] for s in sections] == [s.anchor for s in b.stories]
    for section, story in zip(sections, b.stories, strict=True):
        assert [visible(h.text()) for h in section.iter("h2")] == [visible(story.headline)]
        (bullets,) = by_class(section, "ul", "bullets")
        assert [visible(li.text()) for li in bullets.iter("li")] == [visible(t) for t in story.bullets]
        (sources,) = by_class(section, "ul", "sources")
        (item,) = sources.iter("li")
        (source,) = story.sources
        text = visible(item.text())
        assert [visible(c.text()) for c in item.iter("cite")] == [visible(source.original_title)]
        assert visible(source.outlet) in text and visible(source.date) in text
        assert visible(source.url or source.source_path) in text
        links = {a.attrs["class"]: a.attrs["href"] for a in item.iter("a")}
        assert links["translation"] == relative_link(source.translation_html_link)
        assert links.get("url") == http_url(source.url)

    (footer,) = root.iter("footer")
    footer_text = visible(footer.text())
    for text in [b.generated_at, *b.models.values(), *b.notes]:
        assert visible(text) in footer_text, text
    body = visible(next(root.iter("body")).text())
    for text in HOSTILE:
        assert visible(text) in body, text


def test_hostile_briefing_markdown_keeps_its_structure() -> None:
    b = hostile_briefing()
    md = render_markdown(b)
    doc = read_markdown(md)
    n = len(b.stories)
    assert not doc.block_types & NEVER_BLOCKS, doc.block_types & NEVER_BLOCKS
    assert not doc.inline_types & NEVER_INLINE, doc.inline_types & NEVER_INLINE
    assert doc.texts("h1") == [visible(b.title)]
    assert doc.texts("h2") == ["Contents", *(visible(s.headline) for s in b.stories), "About this briefing"]
    assert doc.texts("h3") == ["Source"] * n
    assert doc.rules == 1 and doc.ordered_lists == 1  # the footer's rule; the contents
    # the renderer's anchors are the only HTML
    assert doc.html == [h for s in b.stories for h in (f'<a id="{s.anchor}">', "</a>")]
    expected_links = [f"#{s.anchor}" for s in b.stories]
    for story in b.stories:
        (source,) = story.sources
        expected_links += [x for x in (http_url(source.url), relative_link(source.translation_link)) if x]
    assert doc.links == expected_links
    assert all(safe_target(link) for link in doc.links), doc.links

    items = doc.texts("li")
    assert items[:n] == [visible(s.headline) for s in b.stories]
    position = n
    for story in b.stories:
        (source,) = story.sources
        assert items[position : position + 2] == [visible(t) for t in story.bullets]
        date = (source.date or "date unknown") + (" (file date)" if source.date_source == "mtime" else "")
        parts = [source.original_title, source.outlet, date, source.url or source.source_path]
        assert items[position + 2] == " — ".join([*map(visible, parts), "full translation"])
        position += 3
    assert items[position:] == [visible(note) for note in b.notes]
    assert doc.texts("p")[:2] == [f"Period: {visible(b.period)}", visible(b.overview)]


def test_hostile_briefing_markdown_line_by_line() -> None:
    """The same promise without a parser: each field stays on its line and its syntax is escaped."""
    b = hostile_briefing()
    lines = render_markdown(b).splitlines()
    assert [line for line in lines if line.startswith("# ")] == [lines[0]]
    bullet_lines = [line for line in lines if line.startswith("- ")]
    # a bullet line per story bullet, a source line per story, a line per note: no more, no fewer
    assert len(bullet_lines) == sum(len(s.bullets) + len(s.sources) for s in b.stories) + len(b.notes)
    anchors = {f'<a id="{s.anchor}"></a>' for s in b.stories}
    for line in lines:
        if line in anchors:
            continue
        plain = unescaped(line)
        assert "<" not in plain and "`" not in plain and "![" not in plain, line
        # the only links are the renderer's own: the contents, source URLs and translation pages
        for target in re.findall(r"\]\(([^)]*)\)", plain):
            assert safe_target(target), line
        if re.match(r"\d+\. \[", line):
            assert plain.count("](") == 1, line
        elif line.startswith("- *"):
            assert plain.count("](") <= 2, line
        else:
            assert "](" not in plain, line
        assert not BIDI.search(line) and "\x00" not in line and "\r" not in line, repr(line)


def test_hostile_source_headlines_and_missing_articles_in_html() -> None:
    b = several_sources_briefing()
    page = render_html(b)
    parsed = parse_html(page)
    assert [kind for kind, _ in parsed.other] == ["decl"], parsed.other
    elements = list(parsed.root.iter())
    assert not {e.tag for e in elements} & ACTIVE, sorted({e.tag for e in elements} & ACTIVE)
    assert all(not name.startswith("on") and name != "style" for e in elements for name in e.attrs)
    assert not BIDI.search(page) and "\x00" not in page
    (section,) = parsed.root.iter("section")
    (said,) = by_class(section, "p", "from")
    assert visible(said.text()).startswith(f"Headline and key points from {visible(HOSTILE[0])};")
    headlines = [visible(e.text()) for e in by_class(section, "span", "headline")]
    assert headlines == [visible(text) for text in HOSTILE]
    (aside,) = parsed.root.iter("aside")
    items = [visible(li.text()) for li in aside.iter("li")]
    assert items == [visible(f"nieuws/{text}.txt: {text}") for text in HOSTILE]
    assert [h.text() for h in parsed.root.iter("h2")] == [
        "Contents",
        "Not in this briefing",
        "A plain headline",
        "About this briefing",
    ]


def test_hostile_source_headlines_and_missing_articles_in_markdown() -> None:
    doc = read_markdown(render_markdown(several_sources_briefing()))
    assert not doc.block_types & NEVER_BLOCKS, doc.block_types & NEVER_BLOCKS
    assert not doc.inline_types & NEVER_INLINE, doc.inline_types
    assert doc.texts("h2") == ["Contents", "Not in this briefing", "A plain headline", "About this briefing"]
    assert doc.html == ['<a id="story-1">', "</a>"] and doc.links == ["#story-1"]
    intro = f"{len(HOSTILE)} articles could not be processed and are missing:"
    said = f"Headline and key points from {visible(HOSTILE[0])}; each source's own headline is listed below."
    assert [text for text in doc.texts("p") if text][1:3] == [intro, said]  # "": the story's anchor
    items = doc.texts("li")
    assert items[1 : 1 + len(HOSTILE)] == [visible(f"nieuws/{text}.txt: {text}") for text in HOSTILE]
    lines = items[2 + len(HOSTILE) :]
    lead = " (headline and key points above)"
    assert [line.split(" — ")[0] for line in lines] == [
        visible(text) + (lead if i == 0 else "") for i, text in enumerate(HOSTILE)
    ]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize("context", ["", "# ", "## ", "- ", "1. "])
def test_a_field_is_one_line_of_plain_text_in_any_context(context: str, text: str) -> None:
    line = md_inline(text)
    assert "\n" not in line and "\r" not in line
    doc = read_markdown(context + line)
    kind = {"": "p", "# ": "h1", "## ": "h2", "- ": "li", "1. ": "li"}[context]
    assert doc.blocks == [(kind, visible(text))]
    assert not doc.links and not doc.html and not doc.rules
    assert doc.inline_types <= {"text", "softbreak"}, doc.inline_types


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(MARKDOWN_CHARS) | st.characters(), max_size=60))
def test_property_md_inline_text_reads_back_as_itself(text: str) -> None:
    doc = read_markdown("- " + md_inline(text))
    expected = visible(text)
    assert doc.blocks == ([("li", expected)] if expected else [])
    assert not doc.links and not doc.html and doc.inline_types <= {"text", "softbreak"}


def test_translation_page_front_matter_reads_back_exactly() -> None:
    t = hostile_document()
    t.title.target = "A\u2028---\u2028b \x85 \x7f \u202e " + TITLE
    md = render_md(t, {"input": "nieuws/kwaad.md\n---\n# x", "model": HOSTILE[0]})
    data, lines, _ = front_matter(md)
    assert all(re.fullmatch(r'[a-z0-9_]+: ".*"', line) for line in lines), lines
    assert data == {
        "title": t.title.target,
        "original_title": t.document.title,
        "date": "2025-10-06",
        "source": t.document.metadata["source"],
        "url": t.document.metadata["url"],
        "translated_from": "nieuws/kwaad.md\n---\n# x",
        "sha256": "0" * 64,
        "translator": HOSTILE[0],
    }
    assert {key: json.loads(line.split(": ", 1)[1]) for key, line in zip(data, lines, strict=True)} == data
    assert not BIDI.search(md) and "\x85" not in md and "\u2028" not in md


def test_hostile_translation_page_keeps_its_structure() -> None:
    t = hostile_document()
    _, _, body = front_matter(render_md(t, {"input": "nieuws/kwaad.md", "model": "m"}))
    doc = read_markdown(body)
    assert not doc.block_types & NEVER_BLOCKS and not doc.inline_types & NEVER_INLINE
    assert not doc.links and not doc.html and doc.rules == 0
    assert doc.texts("h1") == [visible(TITLE)]
    units = t.paragraphs
    assert doc.texts("h2") == [visible(u.target) for u in units if u.kind is ParagraphKind.HEADING]
    assert doc.texts("li") == [visible(u.target) for u in units if u.kind is ParagraphKind.LIST_ITEM]
    assert doc.texts("p") == [visible(u.target) for u in units if u.kind is ParagraphKind.TEXT]
    lines = body.splitlines()
    assert [line for line in lines if line.startswith("# ")] == [lines[1]]
    for line in lines:
        plain = unescaped(line)
        assert "<" not in plain and "](" not in plain and "`" not in plain, line
