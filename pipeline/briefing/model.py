"""The daily briefing: one readable English page for a day's Dutch articles.

This module holds the briefing's data (what the page shows); building it from processed
articles and rendering it (Markdown, HTML, JSON) live beside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class StorySource:
    """One article behind a story."""

    source_path: str  # the Dutch input file
    original_title: str | None  # the Dutch title, if the article had one
    date: str | None  # YYYY-MM-DD
    date_source: str  # a DateSource: "metadata", "filename" (a leading YYYY-MM-DD) or "mtime" (file time)
    url: str | None = None  # from the article's metadata
    outlet: str | None = None  # the metadata's `outlet`, else its `source` (pipeline/briefing/outlets.py)
    translation_link: str | None = None  # relative link from the briefing to the article's Markdown page
    translation_html_link: str | None = None  # the same for its HTML page (the HTML briefing links it)
    headline: str | None = None  # this article's own English headline (the summarizer's)


@dataclass
class Story:
    """One section of the briefing: an event, reported by one or more sources."""

    anchor: str  # unique, [a-z0-9-] only: the section's id in the HTML page
    headline: str
    bullets: list[str]
    sources: list[StorySource]
    # The index in `sources` of the article whose headline and bullets are shown: one article's
    # summary stands for the story, and the page says which.
    bullets_from: int = 0
    # The checks (pipeline/checks): the mark beside the headline and each bullet ("" when not flagged),
    # and the lines of the story's "Checks" section.
    headline_check: str = ""
    bullet_checks: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    # The distinct outlets that reported it (pipeline/briefing/outlets.py), and how many of its sources
    # name none (nor have an http(s) URL to tell it by). Both empty in a briefing made before they were.
    outlets: list[str] = field(default_factory=list)
    sources_without_outlet: int = 0

    def lead(self) -> StorySource | None:
        """The source whose headline and bullets a story of several sources shows, else None."""
        if len(self.sources) > 1 and 0 <= self.bullets_from < len(self.sources):
            return self.sources[self.bullets_from]
        return None

    def checked_bullets(self) -> list[tuple[str, str]]:
        """Each bullet with its mark ("" when not flagged; a briefing made before the checks has none)."""
        checks = self.bullet_checks + [""] * (len(self.bullets) - len(self.bullet_checks))
        return list(zip(self.bullets, checks, strict=False))


@dataclass
class MissingArticle:
    """An article of the period that is not in the briefing: it could not be processed."""

    source_path: str  # the input file
    reason: str  # one line for the reader: what was wrong, not how to fix it


@dataclass
class Briefing:
    title: str  # e.g. "Dutch news in English — 6 October 2025"
    period: str  # "2025-10-06", or "2025-10-05 to 2025-10-07" for a digest
    overview: str  # a short paragraph written by the summarizer
    stories: list[Story]
    generated_at: str  # ISO timestamp
    models: dict[str, str | None] = field(default_factory=dict)  # translator, summarizer (ids)
    notes: list[str] = field(default_factory=list)  # e.g. the overview left stories out
    missing: list[MissingArticle] = field(default_factory=list)  # articles that could not be processed
    fingerprint: str = ""  # of the records and settings it was made from: an unchanged rerun skips it
