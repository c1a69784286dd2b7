"""Rendering a :class:`~pipeline.briefing.model.Briefing`: Markdown, one self-contained HTML page, JSON.

The HTML and Markdown pages come from Jinja2 templates (:mod:`pipeline.briefing.templating`: the
built-in ones, or a user's copies with ``--template-dir``). Every string in a briefing comes from an
article or a model, so none of it is trusted:

* HTML: every printed value goes through :func:`pipeline.text.escaping.html_text`, with autoescaping
  behind it; the page shell keeps the Content-Security-Policy of :mod:`pipeline.text.html_page`, which the
  article pages share; translation links are relative paths, URL-quoted
  (:func:`pipeline.text.escaping.relative_link`), and only http(s) URLs become links.
* Markdown: every printed value goes through :func:`pipeline.text.escaping.md_inline`: inline syntax
  (emphasis, links, images, code, raw HTML, entities, tables) is backslash-escaped, block syntax at the
  start of a field is escaped, and newlines inside a field are collapsed so a field can never open a new
  block (the per-article pages use it too).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from pipeline.briefing.model import Briefing, MissingArticle, Story, StorySource
from pipeline.briefing.templating import PageTemplates
from pipeline.registry import lookup

# The shipped templates: their environments are made once, on first use.
BUILTIN = PageTemplates()


def render_markdown(b: Briefing, templates: PageTemplates = BUILTIN) -> str:
    return templates.render("md", b)


def render_html(b: Briefing, templates: PageTemplates = BUILTIN) -> str:
    return templates.render("html", b)


def render_json(b: Briefing, templates: PageTemplates = BUILTIN) -> str:
    """The briefing's data, whatever the templates (they only change how the pages look)."""
    return json.dumps(asdict(b), ensure_ascii=False, indent=2) + "\n"


def briefing_from_dict(data: dict[str, Any]) -> Briefing:
    """The inverse of ``render_json`` (after ``json.loads``)."""
    stories = [
        Story(**{**story, "sources": [StorySource(**source) for source in story["sources"]]})
        for story in data["stories"]
    ]
    missing = [MissingArticle(**item) for item in data.get("missing") or []]
    return Briefing(**{**data, "stories": stories, "missing": missing})


BriefingRenderer = Callable[[Briefing, PageTemplates], str]

FORMATS: dict[str, tuple[str, BriefingRenderer]] = {
    "md": (".md", render_markdown),
    "html": (".html", render_html),
    "json": (".json", render_json),
}


def renderer(fmt: str) -> tuple[str, BriefingRenderer]:
    """(file suffix, render function) for a briefing output format name."""
    return lookup(FORMATS, fmt, what="briefing format")
