"""Web pages: the article extracted from a saved page (pipeline/ingest/html.py), hostile pages included."""

from __future__ import annotations

import time

import pytest
from helpers.pages import (
    ARTICLE_PAGE,
    ARTICLE_PARAGRAPHS,
    AUTHOR,
    BOILERPLATE,
    DATE,
    EMPTY_PAGE,
    SECOND_DATE,
    SECOND_FIRST_WORDS,
    SECOND_PAGE,
    SECOND_TITLE,
    TITLE,
    URL,
)

import pipeline.ingest.html as html_module
from pipeline.errors import InputError
from pipeline.ingest.html import (
    MAX_PAGE_CHARS,
    MAX_PAGE_ELEMENTS,
    MIN_ARTICLE_WORDS,
    ExtractedPage,
    extract_article,
    looks_like_page,
)

WORDS = ("de", "gemeente", "bouwt", "een", "nieuwe", "brug", "over", "de", "rivier", "voor", "fietsers")


def words(n: int) -> str:
    return " ".join(WORDS[i % len(WORDS)] for i in range(n)) + "."


def bare_page(article: str, head: str = "") -> str:
    return (
        f"<!DOCTYPE html><html lang='nl'><head>{head}</head><body><article>{article}</article></body></html>"
    )


# --- extraction -----------------------------------------------------------------------------


def test_the_article_is_kept_and_what_surrounds_it_left_out() -> None:
    page = extract_article(ARTICLE_PAGE)
    assert page is not None
    blocks = page.text.split("\n\n")
    # Every paragraph, whole and in order, each a block of its own; the headline is the title only.
    positions = [blocks.index(paragraph) for paragraph in ARTICLE_PARAGRAPHS]
    assert positions == sorted(positions)
    assert TITLE not in blocks
    leaked = [phrase for phrase in BOILERPLATE if phrase.lower() in page.text.lower()]
    assert leaked == []
    assert "dataLayer" not in page.text and "font-family" not in page.text


def test_the_page_says_its_title_date_author_and_address() -> None:
    page = extract_article(ARTICLE_PAGE)
    assert page is not None
    assert (page.title, page.date, page.author, page.url) == (TITLE, DATE, AUTHOR, URL)
    assert page.extractor.startswith("trafilatura ") and page.extractor.split()[1][0].isdigit()


def test_a_page_of_divs_with_its_date_in_json_ld_and_entities_for_its_accents() -> None:
    page = extract_article(SECOND_PAGE.encode("utf-8"))  # bytes, as a download gives them
    assert page is not None
    assert (page.title, page.date) == (SECOND_TITLE, SECOND_DATE)
    assert page.text.startswith(SECOND_FIRST_WORDS)
    assert "Één ding staat vast" in page.text and "&Eacute;" not in page.text
    assert len(page.text.split("\n\n")) == 4
    for phrase in ("Voorpagina", "Deel dit artikel", "WhatsApp", "Privacybeleid"):
        assert phrase not in page.text


def test_a_page_without_an_article_gives_none() -> None:
    assert extract_article(EMPTY_PAGE) is None
    assert extract_article("<html><body></body></html>") is None
    assert extract_article("") is None


def test_fewer_words_than_the_minimum_are_no_article() -> None:
    assert extract_article(bare_page(f"<p>{words(MIN_ARTICLE_WORDS - 1)}</p>")) is None
    page = extract_article(bare_page(f"<p>{words(MIN_ARTICLE_WORDS)}</p>"))
    assert page is not None and len(page.text.split()) == MIN_ARTICLE_WORDS


def test_inline_markup_stays_inside_words_and_line_breaks_inside_paragraphs() -> None:
    article = (
        f"<p>Het <b>kabinet</b>, zei de <em>minister</em>-president, {words(20)}</p>"
        f"<p>Eerste regel van de alinea<br>en de tweede regel, {words(25)}</p>"
        "<ul><li>de eerste maatregel</li><li>de tweede <b>maatregel</b></li></ul>"
    )
    page = extract_article(bare_page(article))
    assert page is not None
    blocks = page.text.split("\n\n")
    assert blocks[0].startswith("Het kabinet, zei de minister-president, de gemeente")
    assert blocks[1].startswith("Eerste regel van de alinea en de tweede regel,")
    assert blocks[2] == "- de eerste maatregel\n- de tweede maatregel"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!DOCTYPE html>\n<html>", True),
        ("  \n<html lang='nl'>", True),
        ("<?xml version='1.0'?>\n<!-- opgeslagen -->\n<HTML>", True),
        ("<head><title>x</title>", True),
        ("<body>", True),
        ("Tekst met <em>nadruk</em>.", False),
        ("<p>Een alinea in Markdown.</p>", False),
        ("<htmlfoo>", False),
    ],
)
def test_what_starts_like_a_whole_page(text: str, expected: bool) -> None:
    assert looks_like_page(text) is expected


# --- hostile pages --------------------------------------------------------------------------


def finishes_quickly(html: str | bytes, seconds: float = 10.0) -> ExtractedPage | None:
    begin = time.perf_counter()
    result = extract_article(html)
    assert time.perf_counter() - begin < seconds
    return result


def test_scripts_and_styles_never_reach_the_text() -> None:
    script = "<script>" + "document.write('<p>Klik hier om te winnen</p>');" * 2000 + "</script>"
    style = "<style>" + "p::before { content: 'Reclame'; }" * 2000 + "</style>"
    page = finishes_quickly(bare_page(f"{script}<p>{words(60)}</p>{style}", head=script))
    assert page is not None and page.text == words(60)


def test_entities_a_page_declares_are_not_expanded() -> None:
    # "Billion laughs": each entity ten of the one before; expanded, it would be a gigabyte.
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    doctype = f'<!DOCTYPE html [<!ENTITY l0 "haha">{entities}]>'
    html = doctype + f"<html><body><article><p>&l9; {words(60)}</p></article></body></html>"
    page = finishes_quickly(html)
    assert page is not None and page.text == f"&l9; {words(60)}"  # left as written


def test_nesting_is_cut_at_the_parsers_depth_and_broken_markup_still_read() -> None:
    # libxml2 keeps 256 levels: deeper text is not reached, and the page has no article.
    assert finishes_quickly(bare_page("<div>" * 100_000 + f"<p>{words(60)}</p>" + "</div>" * 100_000)) is None
    shallow = finishes_quickly(bare_page("<div>" * 200 + f"<p>{words(60)}</p>" + "</div>" * 200))
    assert shallow is not None and shallow.text == words(60)
    broken = "<p>" + "<b><i><table><tr><td>" * 50 + words(60) + "</p></span></section>" * 30
    page = finishes_quickly(bare_page(broken))
    assert page is not None and page.text == words(60)
    junk = finishes_quickly(b"<html>\xff\xfe\x00\x01 binair \x00 <body><p>" + words(60).encode() + b"\x00")
    assert junk is not None and junk.text.endswith(words(60))


def test_a_page_over_the_size_limit_is_refused_unparsed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_module, "_trafilatura", lambda: pytest.fail("parsed"))
    huge = "<html><body>" + "<p>bla</p>" * (MAX_PAGE_CHARS // 10) + "</body></html>"
    with pytest.raises(InputError, match="of HTML, over the 20.0 MB a page may have") as err:
        extract_article(huge, url="https://voorbeeld.example/groot")
    assert str(err.value).startswith("https://voorbeeld.example/groot: is 20.0 MB")


def test_a_page_of_too_many_elements_is_parsed_but_not_searched(monkeypatch: pytest.MonkeyPatch) -> None:
    trafilatura = html_module._trafilatura()
    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: pytest.fail("searched"))
    links = "<div><a href='/x'>Lees ook</a></div>" * (MAX_PAGE_ELEMENTS // 2)
    with pytest.raises(InputError, match=f"more than the {MAX_PAGE_ELEMENTS:,} a page may have") as err:
        finishes_quickly(bare_page(f"<p>{words(60)}</p>{links}"))
    assert str(err.value).startswith("the page: has ")


def test_markup_that_breaks_the_parsers_fails_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    # Found by fuzzing: htmldate 1.11 fails an assert on this one; whatever the parsers raise, it is
    # the page's one line, never a traceback.
    try:
        extract_article("<svg><html><p>een</p><p>twee</p></svg>")
    except InputError as err:
        assert "could not be read as a web page (trafilatura failed: AssertionError)" in str(err)
    trafilatura = html_module._trafilatura()
    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: [][1])
    with pytest.raises(
        InputError, match=r"could not be read as a web page \(trafilatura failed: IndexError\)"
    ):
        extract_article(ARTICLE_PAGE, url=URL)
