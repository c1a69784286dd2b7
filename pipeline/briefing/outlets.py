"""Which outlets reported a story, and how a page names a source.

An article's outlet is what its metadata names: the front matter's ``outlet``, else its ``source`` (the
key nlbrief's own example articles and older feeds use). An article that names none is counted by the
host of its ``url`` (``nos.nl``; ``www.`` dropped), or by the outlet another source of the story names
for that host; with no http(s) URL either, its outlet is unknown, and the page says how many sources
that leaves, rather than guessing whether they are one outlet or several.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import PurePath
from urllib.parse import urlsplit

from pipeline.briefing.model import Story, StorySource
from pipeline.text.escaping import http_url
from pipeline.text.plural import counted

# The metadata keys that name an outlet, the first one present wins.
OUTLET_KEYS = ("outlet", "source")


def outlet_name(metadata: Mapping[str, str]) -> str | None:
    """The outlet an article's metadata names (see OUTLET_KEYS), or None; blank values are no name."""
    for key in OUTLET_KEYS:
        name = " ".join(str(metadata.get(key) or "").split())
        if name:
            return name
    return None


def url_host(url: str | None) -> str | None:
    """The host of an http(s) URL without a leading ``www.``, lower case; None for anything else."""
    target = http_url(url)
    host = urlsplit(target).hostname if target else None
    if not host:
        return None
    return host.removeprefix("www.") or host


def story_outlets(sources: Sequence[StorySource]) -> tuple[list[str], int]:
    """(the distinct outlets of ``sources``, in their order; how many sources name no outlet at all).

    Names are told apart without regard to case and spacing; a source without a name is counted by
    its URL's host, under the name the story's other sources with that host give it when they agree."""
    names: dict[str, dict[str, str]] = {}  # host -> the outlets named with it, by their key
    for source in sources:
        host = url_host(source.url)
        if source.outlet and host:
            names.setdefault(host, {})[_key(source.outlet)] = source.outlet
    outlets: dict[str, str] = {}
    unknown = 0
    for source in sources:
        host = url_host(source.url)
        named = names.get(host or "", {})
        name = source.outlet or (next(iter(named.values())) if len(named) == 1 else host)
        if name is None:
            unknown += 1
        else:
            outlets.setdefault(_key(name), " ".join(name.split()))
    return list(outlets.values()), unknown


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def reported_by(story: Story) -> str:
    """The story's outlets in words ("Reported by 2 outlets: NOS, NU.nl"); "" when it has none recorded
    (a story without sources, or from a briefing made before outlets were counted)."""
    parts = []
    if story.outlets:
        parts.append(f"Reported by {counted(len(story.outlets), 'outlet')}: {', '.join(story.outlets)}")
    if story.sources_without_outlet:
        parts.append(f"outlet unknown for {counted(story.sources_without_outlet, 'source')}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def source_name(source: StorySource) -> str:
    """How running text names a source: its outlet, else its title, else its file."""
    if source.outlet:
        return source.outlet
    if source.original_title:
        return f"“{source.original_title}”"
    return PurePath(source.source_path).name or source.source_path or "an unnamed source"
