"""Rendering a :class:`~pipeline.briefing.Briefing`: Markdown, one self-contained HTML page, JSON.

Every string in a briefing comes from an article or a model, so none of it is trusted:

* HTML: all text goes through ``html.escape(..., quote=True)`` after control characters (bidi overrides
  included) are replaced by :func:`pipeline.render.clean_text`; a URL becomes an ``href`` only when it
  is http(s) (anything else is shown as text); translation links are relative paths, URL-quoted.
  The page has no scripts, inline CSS only, no external assets, and a Content-Security-Policy that
  would stop a script even if one got in.
* Markdown: inline syntax (emphasis, links, images, code, raw HTML, entities, tables) is
  backslash-escaped, block syntax at the start of a field is escaped, and newlines inside a field are
  collapsed so a field can never open a new block (:func:`pipeline.render.md_inline`, which the
  per-article pages use too).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import asdict
from pathlib import PurePath
from urllib.parse import quote, urlsplit

from pipeline.briefing import Briefing, MissingArticle, Story, StorySource, counted
from pipeline.errors import UnknownChoiceError
from pipeline.render import clean_text, md_inline

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Characters that may stay as they are in a link target; everything else (spaces, parentheses,
# brackets, quotes, angle brackets, backslashes, controls, non-ASCII) is percent-encoded.
_URL_SAFE = "%/:?#@!$&'*+,;=~"
_ANCHOR = re.compile(r"[a-z0-9-]+")


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


def _anchor(story: Story) -> str:
    """The story's anchor, checked: it goes into ids and fragment links as it is."""
    if not _ANCHOR.fullmatch(story.anchor):
        raise ValueError(f"story anchor {story.anchor!r} is not [a-z0-9-]+")
    return story.anchor


def _date_text(source: StorySource) -> str:
    date = source.date or "date unknown"
    return f"{date} (file date)" if source.date_source == "mtime" else date


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


def _source_name(source: StorySource) -> str:
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
    parts.append(md_inline(_date_text(source)))
    url = http_url(source.url)
    if url:
        parts.append(f"[{md_inline(source.url)}]({url})")
    elif source.url:
        parts.append(md_inline(source.url))
    else:
        parts.append(md_inline(source.source_path))
    link = relative_link(source.translation_link)
    if link:
        parts.append(f"[full translation]({link})")
    return "- " + " — ".join(parts)


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
        if story.bullets:
            blocks.append("\n".join(f"- {md_inline(bullet)}" for bullet in story.bullets))
        if lead := _lead(story):
            blocks.append(FROM_TEXT.format(md_inline(_source_name(lead))))
        if story.sources:
            blocks += [f"### {_sources_label(story)}", "\n".join(_md_source(s, story) for s in story.sources)]
    footer = [f"Generated at {md_inline(b.generated_at)}"]
    footer += [f"{md_inline(role.capitalize())}: {md_inline(model)}" for role, model in _model_items(b)]
    blocks += ["---", "## About this briefing", "\\\n".join(footer)]
    if b.notes:
        blocks += ["Notes:", "\n".join(f"- {md_inline(note)}" for note in b.notes)]
    return "\n\n".join(blocks) + "\n"


# --- HTML -----------------------------------------------------------------------------------------


def _e(text: str | None) -> str:
    return html.escape(clean_text(text), quote=True)


STYLE = """
:root { color-scheme: light dark; --fg: #1c1c1c; --bg: #fdfdfb; --muted: #5c5c5c; --rule: #dcdcd6;
  --accent: #0a4fb4; --panel: #f1f0ea; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6e6e3; --bg: #151515; --muted: #a6a6a2; --rule: #33332f; --accent: #8ab4f8;
    --panel: #20201e; }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); overflow-wrap: anywhere;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: clamp(1rem, 0.95rem + 0.25vw, 1.125rem); line-height: 1.55; }
.page { max-width: 42rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: clamp(1.55rem, 1.2rem + 1.6vw, 2.3rem); line-height: 1.2; margin: 0 0 .3rem; }
h2 { font-size: clamp(1.2rem, 1.05rem + .7vw, 1.5rem); line-height: 1.3; margin: 0 0 .6rem; }
h3 { font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; color: var(--muted);
  margin: 1.1rem 0 .35rem; }
a { color: var(--accent); text-underline-offset: .15em; }
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
ul.bullets { padding-left: 1.25rem; margin: 0; }
ul.bullets li { margin: .35rem 0; }
ul.sources { list-style: none; padding: 0; margin: 0; font-size: .9em; color: var(--muted); }
ul.sources li { margin: .45rem 0; padding-left: .75rem; border-left: 3px solid var(--rule); }
ul.sources cite { color: var(--fg); font-style: italic; }
a.translation { white-space: nowrap; }
ul.sources .headline { color: var(--fg); font-weight: 600; }
p.from { font-size: .9em; color: var(--muted); margin: .6rem 0 0; }
.missing { border-left: 3px solid var(--accent); padding: .1rem 0 .1rem .9rem; margin: 1.5rem 0; }
.missing h2 { font-size: 1rem; margin: 0 0 .3rem; }
.missing p, .missing ul { margin: .3rem 0; }
footer { border-top: 1px solid var(--rule); margin-top: 2.5rem; padding-top: 1rem; font-size: .85em;
  color: var(--muted); }
footer h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .06em; }
footer p, footer ul { margin: .3rem 0; }
@media print {
  :root { --fg: #000; --bg: #fff; --muted: #333; --rule: #999; --accent: #000; --panel: transparent; }
  body { font-size: 11pt; }
  .page { max-width: none; padding: 0; }
  nav { background: none; padding: 0; }
  a { color: inherit; }
  a.translation { white-space: normal; }
  a.translation::after { content: " (" attr(href) ")"; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
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
    if source.date and _DATE.fullmatch(source.date):
        date = f'<time datetime="{_e(source.date)}">{_e(source.date)}</time>'
    else:
        date = _e(source.date or "date unknown")
    if source.date_source == "mtime":
        date += " (file date)"
    parts.append(f'<span class="date">{date}</span>')
    url = http_url(source.url)
    if url:
        parts.append(f'<a class="url" href="{_e(url)}">{_e(source.url)}</a>')
    elif source.url:
        parts.append(f'<span class="url">{_e(source.url)}</span>')
    else:
        parts.append(f'<span class="path">{_e(source.source_path)}</span>')
    link = relative_link(source.translation_link)
    if link:
        parts.append(f'<a class="translation" href="{_e(link)}">full translation</a>')
    return "<li>" + '<span class="sep" aria-hidden="true"> · </span>'.join(parts) + "</li>"


def _html_story(story: Story) -> list[str]:
    out = [f'<section id="{_anchor(story)}">', f"<h2>{_e(story.headline)}</h2>"]
    if story.bullets:
        out += ['<ul class="bullets">', *(f"<li>{_e(bullet)}</li>" for bullet in story.bullets), "</ul>"]
    if lead := _lead(story):
        name = f'<span class="outlet">{_e(_source_name(lead))}</span>'
        out.append(f'<p class="from">{FROM_TEXT.format(name)}</p>')
    if story.sources:
        out += [f"<h3>{_sources_label(story)}</h3>", '<ul class="sources">']
        out += [_html_source(source, story) for source in story.sources]
        out += ["</ul>"]
    out.append("</section>")
    return out


def render_html(b: Briefing) -> str:
    out = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="generator" content="nlbrief">',
        f"<title>{_e(b.title)} ({_e(b.period)})</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        '<div class="page">',
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
    out += ["</footer>", "</div>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


# --- JSON -----------------------------------------------------------------------------------------


def render_json(b: Briefing) -> str:
    return json.dumps(asdict(b), ensure_ascii=False, indent=2) + "\n"


def briefing_from_dict(data: dict) -> Briefing:
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
    try:
        return FORMATS[fmt]
    except KeyError:
        raise UnknownChoiceError("briefing format", fmt, list(FORMATS)) from None
