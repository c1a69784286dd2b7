"""Output safety of the per-article pages of ``process``/``summarize``/``brief`` (Markdown and HTML).

The hostile strings, the HTML tree and the CommonMark reader are tests/test_output_safety.py's: every
field of a record (headline, bullets, Dutch and English paragraphs, metadata, models, revisions, time,
warnings) carries hostile text, and each page is read back to check that no structure came from the
text, none of the text was lost, and only an http(s) source URL became a link.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from helpers.html import Element, by_class
from helpers.safety import (
    BIDI,
    HOSTILE,
    NEVER_BLOCKS,
    NEVER_INLINE,
    TITLE,
    URLS,
    assert_inert,
    hostile_document,
    read_markdown,
    unescaped,
    visible,
)

from pipeline.ingest.document import Paragraph, ParagraphKind
from pipeline.stages.article_md import flagged_line, key_point_note, render_record_md
from pipeline.stages.article_page import render_record_html
from pipeline.stages.marks import mark
from pipeline.stages.records import ArticleRecord
from pipeline.summarize.summarizer import SummaryResult
from pipeline.text.escaping import http_url

PROVENANCE = {
    "model": HOSTILE[0],
    "model_revision": HOSTILE[2],
    "summarizer_model": HOSTILE[12],
    "summarizer_model_revision": HOSTILE[40],
    "made_at": HOSTILE[5],
}
CASES = [(url, "mtime" if i % 2 else "metadata") for i, url in enumerate(URLS)]


def hostile_record(url: str | None, date_source: str) -> ArticleRecord:
    """hostile_document with hostile Dutch paragraphs too, hostile warnings and metadata."""
    t = hostile_document()
    for i, unit in enumerate(t.paragraphs):
        unit.source = f"bron {i}: {HOSTILE[(i * 7) % len(HOSTILE)]}"
    metadata = {"source": HOSTILE[1], **({"url": url} if url is not None else {})}
    t.document = dataclasses.replace(
        t.document,
        paragraphs=[Paragraph(u.source, u.kind, u.marker) for u in t.paragraphs],
        date_source=date_source,
        metadata=metadata,
    )
    t.warnings = [HOSTILE[3], HOSTILE[26]]
    bullets = [*HOSTILE, "plain last bullet"]
    summary = SummaryResult(bullets, headline=HOSTILE[0] + "\n" + HOSTILE[18], warnings=[HOSTILE[36]])
    return ArticleRecord.checked(t.document, t, summary)


def expected_about(record: ArticleRecord) -> str:
    doc = record.document
    date = doc.date + (" (file date)" if doc.date_source == "mtime" else "")
    parts = [f"original title: {doc.title}", date, doc.metadata["source"]]
    parts += [doc.metadata["url"]] if "url" in doc.metadata else []
    return " · ".join(map(visible, [*parts, f"file: {doc.source_path}"]))


def expected_provenance() -> list[str]:
    p = PROVENANCE
    return [
        f"Machine translation by: {p['model']} (revision {p['model_revision']})",
        f"Headline and key points by: {p['summarizer_model']} (revision {p['summarizer_model_revision']})",
        f"Made: {p['made_at']}",
    ]


@pytest.mark.parametrize(("url", "date_source"), CASES)
def test_hostile_record_markdown_page_keeps_its_structure(url: str | None, date_source: str) -> None:
    record = hostile_record(url, date_source)
    t = record.translation
    md = render_record_md(record, PROVENANCE)
    doc = read_markdown(md)
    assert not doc.block_types & NEVER_BLOCKS and not doc.inline_types & NEVER_INLINE
    assert not doc.html and doc.rules == 0
    # the one link a field can give: its source URL, when that is http(s)
    assert doc.links == ([http_url(url)] if http_url(url) else [])
    assert doc.texts("h1") == [visible(record.summary.headline)]
    assert doc.texts("h2") == ["Translation", "About this page"]
    units = t.paragraphs
    headings = [visible(u.target) for u in units if u.kind is ParagraphKind.HEADING]
    assert doc.texts("h3") == [visible(TITLE), *headings]
    items = [visible(u.target) for u in units if u.kind is ParagraphKind.LIST_ITEM]
    warnings = [visible(w) for w in record.warnings()]
    provenance = [visible(line) for line in expected_provenance()]
    # each key point, and after it what the checks say of it (its mark, the sentences it comes from)
    points = [
        visible(f"{c.text} — {note}" if (note := key_point_note(c)) else c.text)
        for c in record.checks.bullets
    ]
    assert doc.texts("li") == [*points, *items, *provenance, *warnings]
    paragraphs = doc.texts("p")
    headline = record.checks.headline
    top = [visible(f"{mark(headline.findings)} (headline)")] if headline.flagged else []
    assert paragraphs[: len(top) + 1] == [*top, expected_about(record)]
    paragraphs = paragraphs[len(top) + 1 :]
    assert paragraphs[0].startswith("Machine translation from Dutch, not checked by a person")
    assert paragraphs[1] == visible(record.verdict())
    text = [
        line
        for u in [t.title, *units]
        for line in ([visible(u.target)] if u.kind is ParagraphKind.TEXT and u is not t.title else [])
        + [visible(flagged_line(s)) for s in u.sentences if s.flagged]
    ]
    assert paragraphs[2:-1] == text
    assert paragraphs[-1] == f"Warnings ({len(warnings)}):"
    lines = md.splitlines()
    assert [line for line in lines if line.startswith("# ")] == [lines[0]]
    for line in lines:
        plain = unescaped(line)
        assert "<" not in plain and "`" not in plain, line
        assert plain.count("](") == (line == lines[2] and http_url(url) is not None), line
        assert not BIDI.search(line) and "\x00" not in line, repr(line)


def cells(row: Element) -> list[tuple[str | None, str]]:
    return [(td.attrs.get("lang"), visible(td.text())) for td in row.iter("td")]


def unit_text(marker: str, text: str) -> str:
    return visible((marker if marker.strip() else "") + text)


@pytest.mark.parametrize(("url", "date_source"), CASES)
def test_hostile_record_html_page_is_inert_and_shows_dutch_beside_english(
    url: str | None, date_source: str
) -> None:
    record = hostile_record(url, date_source)
    t = record.translation
    page = render_record_html(record, PROVENANCE)
    root = assert_inert(page).root
    links = [a.attrs["href"] for a in root.iter("a")]
    # besides the source URL, only the key points' links to the rows of the text they come from
    assert [h for h in links if not h.startswith("#")] == ([http_url(url)] if http_url(url) else [])
    rows = {tr.attrs["id"] for tr in root.iter("tr") if "id" in tr.attrs}
    assert {h[1:] for h in links if h.startswith("#")} <= rows
    (h1,) = root.iter("h1")
    assert visible(h1.text()) == visible(record.summary.headline)
    (title,) = root.iter("title")
    assert visible(title.text()) == visible(record.summary.headline)
    (about,) = by_class(root, "p", "about")
    assert visible(about.text()) == expected_about(record)
    assert [(c.attrs, visible(c.text())) for c in about.iter("cite")] == [
        ({"lang": "nl"}, visible(record.document.title))
    ]
    (bullets,) = by_class(root, "ul", "bullets")
    assert [visible(li.text()) for li in bullets.iter("li")] == [
        visible(f"{c.text} {key_point_note(c)}") for c in record.checks.bullets
    ]

    (table,) = by_class(root, "table", "parallel")
    (head,) = table.iter("thead")
    assert [(th.attrs, th.text()) for th in head.iter("th")] == [
        ({"scope": "col"}, "Dutch original"),
        ({"scope": "col"}, "English (machine translation)"),
    ]
    (body,) = table.iter("tbody")
    rows = list(body.iter("tr"))
    units = [t.title, *t.paragraphs]
    assert len(rows) == len(units)
    for row, unit in zip(rows, units, strict=True):
        # the English of each sentence, and beside a flagged one its mark
        english = " ".join(s.target + (f" {mark(s.findings)}" if s.flagged else "") for s in unit.sentences)
        assert cells(row) == [
            ("nl", unit_text(unit.marker, unit.source)),
            ("en", unit_text(unit.marker, english)),
        ]

    (footer,) = root.iter("footer")
    pairs = zip(footer.iter("dt"), footer.iter("dd"), strict=True)
    assert [f"{visible(dt.text())}: {visible(dd.text())}" for dt, dd in pairs] == list(
        map(visible, expected_provenance())
    )
    assert [visible(li.text()) for li in footer.iter("li")] == [visible(w) for w in record.warnings()]
    body_text = visible(next(root.iter("body")).text())
    assert ("(file date)" in visible(about.text())) is (date_source == "mtime")
    for text in HOSTILE:
        assert visible(text) in body_text, text


def test_an_english_article_page_claims_no_translation() -> None:
    record = hostile_record("https://ok.example/a", "metadata")
    passed = dataclasses.replace(record.translation, passthrough=True)
    for translation in (passed, None):
        english = dataclasses.replace(record, translation=translation)
        root = assert_inert(render_record_html(english, PROVENANCE)).root
        text = visible(next(root.iter("body")).text())
        assert "Dutch original" not in text and "Machine translation" not in text
        assert not list(root.iter("table"))
        assert re.search(r"Translation none: the article was (already|given) in English", text)
        markdown = render_record_md(english, PROVENANCE)
        assert "Machine translation" not in markdown and "- Translation: none" in markdown
    root = assert_inert(render_record_html(dataclasses.replace(record, translation=passed), {})).root
    assert [p.attrs["lang"] for p in root.iter("p") if p.attrs.get("lang")] == ["en"] * sum(
        u.kind is not ParagraphKind.HEADING for u in passed.paragraphs
    )


def test_a_record_without_provenance_says_unknown() -> None:
    record = hostile_record(None, "metadata")
    page = visible(render_record_html(record, {}))
    assert "unknown model (revision unknown)" in page and "time unknown" in page
