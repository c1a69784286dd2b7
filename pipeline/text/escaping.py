"""Escaping article and model text for the pages nlbrief writes: Markdown, HTML, YAML front matter, URLs.

Every string on a page comes from an article or a model, so none of it is trusted. Each helper here
makes one kind of field safe for one format; the translation outputs, the article pages and the
briefing all use these, so a field is escaped the same way wherever it appears:

* control characters, bidi overrides included, are shown as U+FFFD (:func:`clean_text`);
* Markdown: a field stays on one line with no inline or block syntax of its own (:func:`md_inline`);
* HTML: text and double-quoted attribute values through ``html.escape(..., quote=True)`` (:func:`html_text`);
* a URL becomes a link target only when it is absolute http(s), percent-encoded (:func:`http_url`);
  a relative link (a path) is URL-quoted (:func:`relative_link`);
* YAML: a double-quoted scalar that JSON and YAML 1.1 both read back unchanged (:func:`yaml_scalar`).
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import quote, urlsplit

BLOCK_SYNTAX = re.compile(r"^(\s*)([#>*+=|-]|```|~~~)")
ORDERED_ITEM = re.compile(r"^(\s*\d+)([.)])(?=\s|$)")
# C0/C1 controls other than tab and newline, lone surrogates (which cannot be written as UTF-8), and the
# bidi embedding, override and isolate controls: a U+202E in a title would show the text after it
# (an outlet, a URL) reversed, so it could make one link look like another.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
MD_INLINE = re.compile(r"([\\`*_\[\]<>#|!&~])")
# What GitHub-flavoured Markdown would turn into a link on its own (bare URLs, www. names).
MD_AUTOLINK = re.compile(r"(?i)\b(https?|ftp)(:)(?=//)|\b(www)(\.)")
# Characters JSON leaves as they are that YAML 1.1 (PyYAML, many front matter readers) reads as line
# breaks or refuses outright, and the bidi controls (kept, as escapes, since front matter is data).
_YAML_UNSAFE = re.compile(r"[\x7f-\x9f\u2028\u2029\ufeff\u202a-\u202e\u2066-\u2069\ud800-\udfff]")

# Characters that may stay as they are in a link target; everything else (spaces, parentheses,
# brackets, quotes, angle brackets, backslashes, controls, non-ASCII) is percent-encoded.
_URL_SAFE = "%/:?#@!$&'*+,;=~"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def clean_text(text: str | None) -> str:
    """The text with every control character (see ``CONTROL``) shown as U+FFFD; None becomes ''."""
    return CONTROL.sub("\ufffd", text or "")


def md_text(text: str) -> str:
    """Text that cannot open a Markdown block (heading, list, quote, fence, table) on its own."""
    text = BLOCK_SYNTAX.sub(lambda m: m.group(1) + "\\" + m.group(2), text)
    return ORDERED_ITEM.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def md_inline(text: str | None) -> str:
    """One field as Markdown text: on one line, with no syntax of its own (block or inline)."""
    text = MD_INLINE.sub(r"\\\1", " ".join(clean_text(text).split()))
    text = MD_AUTOLINK.sub(lambda m: (m.group(1) or m.group(3)) + "\\" + (m.group(2) or m.group(4)), text)
    return md_text(text)


def http_url(url: str | None) -> str | None:
    """``url`` percent-encoded for use as a link target when it is an absolute http(s) URL, else None."""
    if not url:
        return None
    url = url.strip()
    if not re.match(r"(?i)https?://", url):
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return quote(url, safe=_URL_SAFE)


def relative_link(link: str | None) -> str | None:
    """A relative link (a path) URL-quoted; a leading ``//`` cannot turn it into a host name."""
    if not link:
        return None
    quoted = quote(clean_text(link), safe="/")
    return "." + quoted if quoted.startswith("//") else quoted


def date_label(date: str | None, date_source: str | None) -> str:
    """An article's date as pages show it: one taken from the file's modification time says so,
    since a copy, a clone or an unzip changes it."""
    text = date or "date unknown"
    return f"{text} (file date)" if date and date_source == "mtime" else text


def md_link(text: str | None, url: str | None) -> str:
    """``text`` as a Markdown link to ``url`` when that is an http(s) URL, else as plain text."""
    target = http_url(url)
    return f"[{md_inline(text)}]({target})" if target else md_inline(text)


def yaml_scalar(value: object) -> str:
    """``value`` as a double-quoted scalar that JSON and YAML 1.1 both read back unchanged, on one line."""
    text = json.dumps(value, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def html_text(text: str | None) -> str:
    """``text`` safe as HTML text and as a double-quoted attribute value."""
    return html.escape(clean_text(text), quote=True)


def url_html(url: str | None) -> str:
    """A source URL: a link when it is http(s), else shown as text (a ``javascript:`` one too)."""
    target = http_url(url)
    if target:
        return f'<a class="url" href="{html_text(target)}">{html_text(url)}</a>'
    return f'<span class="url">{html_text(url)}</span>'


def date_html(date: str | None, date_source: str | None) -> str:
    """:func:`date_label` with a well-formed date marked up as ``<time>``."""
    label = html_text(date_label(date, date_source))
    if date and _DATE.fullmatch(date):
        return label.replace(date, f'<time datetime="{date}">{date}</time>', 1)  # the label starts with it
    return label
