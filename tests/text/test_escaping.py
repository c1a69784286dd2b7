"""Tests for the escaping of article and model text (pipeline.text.escaping): Markdown, HTML, YAML, URLs.

The pages' own structure under hostile text is tested in tests/briefing/test_briefing_render.py and
tests/cli/test_output_safety.py; these pin each helper on its own.
"""

from __future__ import annotations

import json

import pytest
import yaml

from pipeline.text.escaping import (
    clean_text,
    date_html,
    date_label,
    html_text,
    http_url,
    md_inline,
    md_link,
    md_text,
    relative_link,
    url_html,
    yaml_scalar,
)


def test_clean_text_shows_controls_and_bidi_overrides_as_replacement_characters():
    assert clean_text("a\x00b\u202ec\x9fd\ud800e") == "a\ufffdb\ufffdc\ufffdd\ufffde"
    assert clean_text("tab\tand\nnewline stay") == "tab\tand\nnewline stay"
    assert clean_text(None) == ""


# --- URLs -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\nscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//evil.example.com/x",
        "http:/no-host",
        "https://",
        "www.example.nl",
        "",
        None,
    ],
)
def test_only_http_urls_become_links(url):
    assert http_url(url) is None


def test_http_urls_are_percent_encoded_for_link_targets():
    assert http_url("https://www.example.nl/a") == "https://www.example.nl/a"
    assert http_url(" HTTP://Example.nl/x?a=1&b=2#frag ") == "HTTP://Example.nl/x?a=1&b=2#frag"
    assert http_url("https://example.nl/a b(c)<d>\"e'") == "https://example.nl/a%20b%28c%29%3Cd%3E%22e'"
    assert http_url("https://example.nl/zuivelcoöperatie") == "https://example.nl/zuivelco%C3%B6peratie"
    assert http_url("https://example.nl/100%25") == "https://example.nl/100%25"


def test_relative_links_are_quoted():
    assert relative_link("translations/a b.html") == "translations/a%20b.html"
    assert relative_link("t/#x?.html") == "t/%23x%3F.html"
    assert relative_link("javascript:alert(1)") == "javascript%3Aalert%281%29"
    assert relative_link("//evil.example.com/x") == ".//evil.example.com/x"
    assert relative_link(None) is None and relative_link("") is None


def test_md_inline_escapes_inline_and_block_syntax():
    assert md_inline("*a* _b_ `c` [d](e) <f> & g | h ! # ~i~ \\") == (
        "\\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) \\<f\\> \\& g \\| h \\! \\# \\~i\\~ \\\\"
    )
    assert md_inline("- item") == "\\- item"
    assert md_inline("+ item") == "\\+ item"
    assert md_inline("1. item") == "1\\. item"
    assert md_inline("===") == "\\==="
    assert md_inline("    indented code\n\n> quote") == "indented code \\> quote"
    assert md_inline(None) == ""
    # bare URLs and www. names that GitHub-flavoured Markdown would link on its own
    assert (
        md_inline("see https://example.org or www.example.nl")
        == "see https\\://example.org or www\\.example.nl"
    )


def test_md_text_escapes_only_block_syntax_at_the_start():
    assert md_text("# heading") == "\\# heading"
    assert md_text("  > quote") == "  \\> quote"
    assert md_text("```py") == "\\```py"
    assert md_text("2) item") == "2\\) item"
    assert md_text("a # b 2) c") == "a # b 2) c"
    assert md_text("2025 was a year") == "2025 was a year"


def test_md_link_links_only_http_urls():
    assert md_link("a*b", "https://x.nl/a b") == "[a\\*b](https://x.nl/a%20b)"
    assert md_link("click", "javascript:alert(1)") == "click"
    assert md_link("no url", None) == "no url"


@pytest.mark.parametrize(
    "value", ["a\u2028b\u2029c", 'quote " and \\', "bidi \u202e reversed", "bom \ufeff", "\x85"]
)
def test_yaml_scalar_reads_back_unchanged_in_json_and_yaml(value):
    scalar = yaml_scalar(value)
    assert "\n" not in scalar and scalar.startswith('"')
    assert json.loads(scalar) == value
    assert yaml.safe_load(f"key: {scalar}") == {"key": value}


def test_yaml_scalar_escapes_what_yaml_reads_as_a_line_break():
    assert yaml_scalar("a\u2028b") == '"a\\u2028b"'
    assert yaml_scalar(None) == "null"


def test_date_label_says_when_a_date_is_the_files():
    assert date_label("2025-10-08", "mtime") == "2025-10-08 (file date)"
    assert date_label("2025-10-08", "metadata") == "2025-10-08"
    assert date_label(None, "mtime") == "date unknown"


def test_html_text_is_safe_as_text_and_as_an_attribute_value():
    assert html_text('<a href="x">\'&\x00') == "&lt;a href=&quot;x&quot;&gt;&#x27;&amp;\ufffd"
    assert html_text(None) == ""


def test_url_html_links_only_http_urls_and_escapes_both_sides():
    assert url_html("https://x.nl/?a=1&b=<2>") == (
        '<a class="url" href="https://x.nl/?a=1&amp;b=%3C2%3E">https://x.nl/?a=1&amp;b=&lt;2&gt;</a>'
    )
    assert url_html("javascript:alert(1)") == '<span class="url">javascript:alert(1)</span>'
    assert url_html(None) == '<span class="url"></span>'


def test_date_html_marks_up_only_a_well_formed_date():
    assert date_html("2025-10-08", "mtime") == '<time datetime="2025-10-08">2025-10-08</time> (file date)'
    assert date_html("8 okt <b>", "metadata") == "8 okt &lt;b&gt;"
    assert date_html(None, None) == "date unknown"
