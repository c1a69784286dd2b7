"""Article files as nlbrief reads them (pipeline/ingest/sources.py): YAML front matter, then the text.

The front matter is written by ``yaml.safe_dump``, never by formatting strings, each value on one line,
so a title with a colon, quotes, a ``---`` or a newline stays a value; every field and the text have
their control characters (bidi overrides included) shown as U+FFFD, as every page nlbrief writes does.
Files are named ``YYYY-MM-DD-slug.md`` (the article's date, else the day it was fetched) and written
atomically.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pipeline.run.files import atomic_write_text, safe_output_path
from pipeline.text.escaping import clean_text

SUFFIX = ".md"
DEFAULT_NEWS_DIR = "outputs/nieuws"  # where fetch writes, and daily briefs from, by default
_SLUG_CHARS = 60
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, kw_only=True)
class Article:
    """One article as it is written: what the page (or the feed) gave, and where it came from."""

    title: str
    text: str  # paragraphs separated by blank lines
    date: str | None  # YYYY-MM-DD, or None when neither the page nor the feed dates it
    url: str
    outlet: str
    author: str | None
    feed: str | None  # the feed that listed it; None for an article URL given directly
    fetched: str  # ISO time of the fetch, UTC
    text_from: str  # "page (trafilatura)" or "feed": which gave the text


def iso_day(value: str | None) -> str | None:
    """The YYYY-MM-DD an ISO date or time starts with, else None."""
    return value[:10] if value and _ISO_DAY.match(value) else None


def text_digest(text: str) -> str:
    """The digest that tells two articles' texts apart; layout (spaces, line breaks) aside."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def render(article: Article) -> str:
    import yaml

    front = {
        "title": article.title,
        "date": article.date,
        "outlet": article.outlet,  # what nlbrief's pages and briefings name the article's outlet by
        "source": article.feed or article.url,  # where nlbrief found it: the feed, else the page asked for
        "url": article.url,
        "author": article.author,
        "fetched": article.fetched,
        "text_from": article.text_from,
    }
    # One line each: the reader ends the front matter at the first line that is "---", and a value
    # spread over lines (a title with a newline) could hold one.
    kept = {key: " ".join(clean_text(value).split()) for key, value in front.items() if value}
    block = yaml.safe_dump(kept, allow_unicode=True, sort_keys=False, width=1_000_000)
    return f"---\n{block}---\n\n{clean_text(article.text).strip()}\n"


def slug(title: str) -> str:
    """The title in lower-case ASCII words joined by hyphens, cut at a word under 60 characters."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = _NOT_SLUG.sub("-", ascii_title.lower()).strip("-")
    if len(words) > _SLUG_CHARS:
        words = words[:_SLUG_CHARS].rsplit("-", 1)[0]
    return words or "artikel"


def new_name(article: Article, day: str, taken: set[str]) -> str:
    """``day-slug.md``, or ``day-slug-2.md``... when that name is taken (by a file or an earlier article)."""
    base = f"{day}-{slug(article.title)}"
    name, n = base + SUFFIX, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}{SUFFIX}"
    return name


def write_article(folder: Path, name: str, article: Article) -> Path:
    """Write ``article`` to ``folder/name`` atomically; returns the path."""
    path = safe_output_path(folder, name)
    atomic_write_text(path, render(article))
    return path
