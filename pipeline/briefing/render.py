"""Rendering a :class:`~pipeline.briefing.model.Briefing`: Markdown, one self-contained HTML page, JSON.

Every string in a briefing comes from an article or a model, so none of it is trusted:

* HTML: the escaping of :mod:`pipeline.text.escaping` and the page shell and Content-Security-Policy of
  :mod:`pipeline.text.html_page`, which the article pages share; translation links are relative paths,
  URL-quoted (:func:`pipeline.text.escaping.relative_link`).
* Markdown: inline syntax (emphasis, links, images, code, raw HTML, entities, tables) is
  backslash-escaped, block syntax at the start of a field is escaped, and newlines inside a field are
  collapsed so a field can never open a new block (:func:`pipeline.text.escaping.md_inline`, which the
  per-article pages use too).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict
from pathlib import PurePath
from typing import Any

from pipeline.briefing.model import Briefing, MissingArticle, Story, StorySource
from pipeline.registry import lookup
from pipeline.text.escaping import (
    date_html,
    date_label,
    md_inline,
    md_link,
    relative_link,
    url_html,
)
from pipeline.text.escaping import html_text as _e
from pipeline.text.html_page import PAGE_END, page_start
from pipeline.text.plural import counted

_ANCHOR = re.compile(r"[a-z0-9-]+")


def _anchor(story: Story) -> str:
    """The story's anchor, checked: it goes into ids and fragment links as it is."""
    if not _ANCHOR.fullmatch(story.anchor):
        raise ValueError(f"story anchor {story.anchor!r} is not [a-z0-9-]+")
    return story.anchor


def _sources_label(story: Story) -> str:
    n = len(story.sources)
    return "Source" if n == 1 else f"Sources ({n})"


def _count_label(story: Story) -> str | None:
    n = len(story.sources)
    return f"{n} sources" if n > 1 else None


def _model_items(b: Briefing) -> list[tuple[str, str]]:
    return [(role, model or "none") for role, model in b.models.items()]


def _lead(story: Story) -> StorySource | None:
    """The source whose headline and bullets a story of several sources shows, else None."""
    if len(story.sources) > 1 and 0 <= story.bullets_from < len(story.sources):
        return story.sources[story.bullets_from]
    return None


def source_name(source: StorySource) -> str:
    """How running text names a source: its outlet, else its title, else its file."""
    if source.outlet:
        return source.outlet
    if source.original_title:
        return f"“{source.original_title}”"
    return PurePath(source.source_path).name or source.source_path or "an unnamed source"


# Said under the bullets of a story of several sources, with the lead source's name.
FROM_TEXT = "Headline and key points from {}; each source's own headline is listed below."
LEAD_MARK = "(headline and key points above)"


def _missing_intro(missing: list[MissingArticle]) -> str:
    verb = "is" if len(missing) == 1 else "are"
    return f"{counted(len(missing), 'article')} could not be processed and {verb} missing:"


# --- Markdown -------------------------------------------------------------------------------------


def _md_source(source: StorySource, story: Story) -> str:
    title = f"*{md_inline(source.original_title)}*" if source.original_title else "(no title)"
    parts = [title]
    if len(story.sources) > 1:  # the story shows one source's headline, so each shows its own
        mark = f" {LEAD_MARK}" if source is _lead(story) else ""
        parts.insert(0, md_inline(source.headline or "(no headline)") + mark)
    if source.outlet:
        parts.append(md_inline(source.outlet))
    parts.append(md_inline(date_label(source.date, source.date_source)))
    if source.url:
        parts.append(md_link(source.url, source.url))
    else:
        parts.append(md_inline(source.source_path))
    link = relative_link(source.translation_link)
    if link:
        parts.append(f"[full translation]({link})")
    return "- " + " — ".join(parts)


def _checked_bullets(story: Story) -> list[tuple[str, str]]:
    """Each bullet with its mark ("" when not flagged; a briefing made before the checks has none)."""
    checks = story.bullet_checks + [""] * (len(story.bullets) - len(story.bullet_checks))
    return list(zip(story.bullets, checks, strict=False))


def _md_bullet(bullet: str, check: str) -> str:
    return f"- {md_inline(bullet)}" + (f" — *{md_inline(check)}*" if check else "")


def render_markdown(b: Briefing) -> str:
    blocks = [f"# {md_inline(b.title)}", f"Period: {md_inline(b.period)}"]
    if b.overview.strip():
        blocks.append(md_inline(b.overview))
    if b.stories:
        toc = []
        for i, story in enumerate(b.stories, 1):
            count = _count_label(story)
            toc.append(
                f"{i}. [{md_inline(story.headline)}](#{_anchor(story)})" + (f" — {count}" if count else "")
            )
        blocks += ["## Contents", "\n".join(toc)]
    else:
        blocks.append("No stories for this period.")
    if b.missing:
        items = "\n".join(f"- {md_inline(m.source_path)}: {md_inline(m.reason)}" for m in b.missing)
        blocks += ["## Not in this briefing", _missing_intro(b.missing), items]
    for story in b.stories:
        # The anchor is [a-z0-9-] (the Story contract), so this is the only raw HTML in the file.
        blocks += [f'<a id="{_anchor(story)}"></a>', f"## {md_inline(story.headline)}"]
        if story.headline_check:
            blocks.append(f"*{md_inline(story.headline_check)} (headline)*")
        if story.bullets:
            blocks.append("\n".join(_md_bullet(bullet, check) for bullet, check in _checked_bullets(story)))
        if lead := _lead(story):
            blocks.append(FROM_TEXT.format(md_inline(source_name(lead))))
        if story.sources:
            blocks += [f"### {_sources_label(story)}", "\n".join(_md_source(s, story) for s in story.sources)]
        if story.checks:
            blocks += ["### Checks", "\n".join(f"- {md_inline(line)}" for line in story.checks)]
    footer = [f"Generated at {md_inline(b.generated_at)}"]
    footer += [f"{md_inline(role.capitalize())}: {md_inline(model)}" for role, model in _model_items(b)]
    blocks += ["---", "## About this briefing", "\\\n".join(footer)]
    if b.notes:
        blocks += ["Notes:", "\n".join(f"- {md_inline(note)}" for note in b.notes)]
    return "\n\n".join(blocks) + "\n"


# --- HTML -----------------------------------------------------------------------------------------


# The briefing's own rules, after pipeline.text.html_page's BASE_STYLE.
STYLE = """
.period { color: var(--muted); margin: 0; }
.overview { font-size: 1.08em; margin: 1.25rem 0; }
nav { background: var(--panel); border-radius: .5rem; padding: .9rem 1.1rem; margin: 1.5rem 0 2rem; }
nav h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted);
  margin: 0 0 .4rem; }
nav ol { margin: 0; padding-left: 1.4rem; }
nav li { margin: .2rem 0; }
.count { color: var(--muted); font-size: .85em; white-space: nowrap; }
section { border-top: 1px solid var(--rule); padding-top: 1.25rem; margin-top: 1.75rem;
  break-inside: avoid; page-break-inside: avoid; }
ul.sources { list-style: none; padding: 0; margin: 0; font-size: .9em; color: var(--muted); }
ul.sources li { margin: .45rem 0; padding-left: .75rem; border-left: 3px solid var(--rule); }
ul.sources cite { color: var(--fg); font-style: italic; }
a.translation { white-space: nowrap; }
ul.sources .headline { color: var(--fg); font-weight: 600; }
p.from { font-size: .9em; color: var(--muted); margin: .6rem 0 0; }
.missing { border-left: 3px solid var(--accent); padding: .1rem 0 .1rem .9rem; margin: 1.5rem 0; }
.check { font-size: .88em; font-weight: 600; }
.check::before { content: "\\26A0\\FE0E  "; }
li.flagged { background: #fff3bf; }
.checks { font-size: .9em; margin: .8rem 0 0; }
.checks h3 { font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted);
  margin: 0; }
.checks ul { margin: .3rem 0 0; padding-left: 1.2rem; }
.missing h2 { font-size: 1rem; margin: 0 0 .3rem; }
.missing p, .missing ul { margin: .3rem 0; }
@media print {
  nav { background: none; padding: 0; }
  a.translation { white-space: normal; }
  a.translation::after { content: " (" attr(href) ")"; }
  section, ul.sources li { break-inside: avoid; page-break-inside: avoid; }
}
"""


def _html_source(source: StorySource, story: Story) -> str:
    if source.original_title:
        parts = [f'<cite lang="nl">{_e(source.original_title)}</cite>']
    else:
        parts = ['<span class="untitled">(no title)</span>']
    if len(story.sources) > 1:  # the story shows one source's headline, so each shows its own
        mark = f' <span class="lead">{LEAD_MARK}</span>' if source is _lead(story) else ""
        parts.insert(0, f'<span class="headline">{_e(source.headline or "(no headline)")}</span>{mark}')
    if source.outlet:
        parts.append(f'<span class="outlet">{_e(source.outlet)}</span>')
    parts.append(f'<span class="date">{date_html(source.date, source.date_source)}</span>')
    if source.url:
        parts.append(url_html(source.url))
    else:
        parts.append(f'<span class="path">{_e(source.source_path)}</span>')
    # The HTML article page; a briefing made before there were HTML pages links the Markdown one.
    link = relative_link(source.translation_html_link or source.translation_link)
    if link:
        parts.append(f'<a class="translation" href="{_e(link)}">full translation</a>')
    return "<li>" + '<span class="sep" aria-hidden="true"> · </span>'.join(parts) + "</li>"


def _html_bullet(bullet: str, check: str) -> str:
    """A key point; a flagged one says why in words beside it (not colour alone)."""
    if not check:
        return f"<li>{_e(bullet)}</li>"
    return f'<li class="flagged">{_e(bullet)} <span class="check">{_e(check)}</span></li>'


def _html_story(story: Story) -> list[str]:
    out = [f'<section id="{_anchor(story)}">', f"<h2>{_e(story.headline)}</h2>"]
    if story.headline_check:
        out.append(
            f'<p class="headline-check"><span class="check">{_e(story.headline_check)}</span> (headline)</p>'
        )
    if story.bullets:
        out += [
            '<ul class="bullets">',
            *(_html_bullet(b, check) for b, check in _checked_bullets(story)),
            "</ul>",
        ]
    if lead := _lead(story):
        name = f'<span class="outlet">{_e(source_name(lead))}</span>'
        out.append(f'<p class="from">{FROM_TEXT.format(name)}</p>')
    if story.sources:
        out += [f"<h3>{_sources_label(story)}</h3>", '<ul class="sources">']
        out += [_html_source(source, story) for source in story.sources]
        out += ["</ul>"]
    if story.checks:
        out += [
            '<div class="checks">',
            "<h3>Checks</h3>",
            "<ul>",
            *(f"<li>{_e(line)}</li>" for line in story.checks),
        ]
        out += ["</ul>", "</div>"]
    out.append("</section>")
    return out


def render_html(b: Briefing) -> str:
    out = [
        *page_start(f"{b.title} ({b.period})", STYLE),
        "<header>",
        f"<h1>{_e(b.title)}</h1>",
        f'<p class="period">{_e(b.period)}</p>',
        "</header>",
        "<main>",
    ]
    if b.overview.strip():
        out.append(f'<p class="overview">{_e(b.overview)}</p>')
    if b.stories:
        out += ['<nav aria-labelledby="_contents">', '<h2 id="_contents">Contents</h2>', "<ol>"]
        for story in b.stories:
            count = _count_label(story)
            count_html = f' <span class="count">{count}</span>' if count else ""
            out.append(f'<li><a href="#{_anchor(story)}">{_e(story.headline)}</a>{count_html}</li>')
        out += ["</ol>", "</nav>"]
    else:
        out.append('<p class="empty">No stories for this period.</p>')
    if b.missing:
        out += ['<aside class="missing" aria-labelledby="_missing">']
        out += ['<h2 id="_missing">Not in this briefing</h2>']
        out += [f"<p>{_missing_intro(b.missing)}</p>", "<ul>"]
        out += [f'<li><span class="path">{_e(m.source_path)}</span>: {_e(m.reason)}</li>' for m in b.missing]
        out += ["</ul>", "</aside>"]
    for story in b.stories:
        out += _html_story(story)
    out += ["</main>", "<footer>", "<h2>About this briefing</h2>"]
    out.append(f"<p>Generated at {_e(b.generated_at)}</p>")
    if b.models:
        models = "; ".join(f"{_e(role)}: {_e(model)}" for role, model in _model_items(b))
        out.append(f"<p>Models: {models}</p>")
    if b.notes:
        out += ["<p>Notes:</p>", "<ul>", *(f"<li>{_e(note)}</li>" for note in b.notes), "</ul>"]
    out += ["</footer>", *PAGE_END]
    return "\n".join(out) + "\n"


# --- JSON -----------------------------------------------------------------------------------------


def render_json(b: Briefing) -> str:
    return json.dumps(asdict(b), ensure_ascii=False, indent=2) + "\n"


def briefing_from_dict(data: dict[str, Any]) -> Briefing:
    """The inverse of ``render_json`` (after ``json.loads``)."""
    stories = [
        Story(**{**story, "sources": [StorySource(**source) for source in story["sources"]]})
        for story in data["stories"]
    ]
    missing = [MissingArticle(**item) for item in data.get("missing") or []]
    return Briefing(**{**data, "stories": stories, "missing": missing})


BriefingRenderer = Callable[[Briefing], str]

FORMATS: dict[str, tuple[str, BriefingRenderer]] = {
    "md": (".md", render_markdown),
    "html": (".html", render_html),
    "json": (".json", render_json),
}


def renderer(fmt: str) -> tuple[str, BriefingRenderer]:
    """(file suffix, render function) for a briefing output format name."""
    return lookup(FORMATS, fmt, what="briefing format")
