"""Briefings to render: a realistic day, a hostile one, and the hostile one's benign twin.

Used by the rendering tests (tests/briefing) and the browser test (tests/cli/test_browser.py).
"""

from __future__ import annotations

import dataclasses
import re

from pipeline.briefing.model import Briefing, MissingArticle, Story, StorySource
from pipeline.text.escaping import http_url


def sample_briefing() -> Briefing:
    """A realistic (hand-written, illustrative) day: four stories, one reported by two outlets; the
    checks flagged one key point of the first, and nothing in the others."""
    briefing = _sample_day()
    storm = briefing.stories[0]
    storm.bullet_checks = ["", "", "Check: date 'Tuesday' is not in the article"]
    storm.checks = [
        "Key point 3: date 'Tuesday' is not in the article.",
        "The translation of Voorbeeldkrant has 1 flagged sentence; its full translation marks them.",
    ]
    for story in briefing.stories[1:]:
        story.checks = ["Nothing flagged."]
    return briefing


def _sample_day() -> Briefing:
    return Briefing(
        title="Dutch news in English — 6 October 2025",
        period="2025-10-06",
        overview=(
            "An autumn storm shut ports along the North Sea coast, Utrecht opened another bicycle "
            "parking garage under its central station, the cabinet presented plans to speed up house "
            "building, and a Frisian dairy cooperative reported higher milk prices."
        ),
        stories=[
            Story(
                anchor="storm-noordzee",
                headline="Storm closes North Sea ports; ferries to the Wadden islands cancelled",
                bullets=[
                    "Wind gusts of up to 110 km/h were measured on the coast of Zeeland and Noord-Holland.",
                    "The ports of Rotterdam and IJmuiden stopped taking in ships for most of the day.",
                    "Ferry services to Texel, Vlieland and Terschelling are expected to resume on Tuesday.",
                ],
                sources=[
                    StorySource(
                        source_path="nieuws/2025-10-06-storm-noordzee.txt",
                        original_title="Storm legt havens aan de Noordzee stil",
                        date="2025-10-06",
                        date_source="metadata",
                        url="https://www.example.nl/nieuws/2025/10/06/storm-legt-havens-stil",
                        outlet="Voorbeeldkrant",
                        translation_link="translations/2025-10-06-storm-noordzee.html",
                        headline="Storm closes North Sea ports; ferries to the Wadden islands cancelled",
                    ),
                    StorySource(
                        source_path="nieuws/regio/veerdiensten-waddeneilanden.md",
                        original_title="Veerdiensten naar de Waddeneilanden uitgevallen door zware wind",
                        date="2025-10-06",
                        date_source="mtime",
                        outlet="Regionaal Dagblad",
                        translation_link="translations/regio/veerdiensten waddeneilanden.html",
                        headline="High winds stop the ferries to Texel, Vlieland and Terschelling",
                    ),
                ],
            ),
            Story(
                anchor="fietsenstalling-utrecht",
                headline="Utrecht opens a second underground bicycle garage for 7,000 bikes",
                bullets=[
                    "The garage lies under the new square on the west side of Utrecht Central station.",
                    "The first 24 hours of parking are free; after that a day costs €1.35.",
                ],
                sources=[
                    StorySource(
                        source_path="nieuws/2025-10-06-fietsenstalling-utrecht.txt",
                        original_title="Nieuwe fietsenstalling bij Utrecht Centraal open",
                        date="2025-10-06",
                        date_source="metadata",
                        url="https://www.example.nl/utrecht/fietsenstalling-(west)?ref=home&page=2",
                        outlet="Stadsnieuws Utrecht",
                        translation_link="translations/2025-10-06-fietsenstalling-utrecht.html",
                    )
                ],
            ),
            Story(
                anchor="woningbouw",
                headline="Cabinet wants to halve the time it takes to get a building permit",
                bullets=[
                    "Municipalities would have eight weeks instead of sixteen to decide on an application.",
                    "Housing corporations welcome the plan; nature groups fear less room for objections.",
                ],
                sources=[
                    StorySource(
                        source_path="nieuws/2025-10-07-woningbouw.txt",
                        original_title="Kabinet wil vergunningen voor woningbouw sneller verlenen",
                        date="2025-10-06",
                        date_source="metadata",
                        url="https://www.example.nl/politiek/woningbouw-vergunningen",
                        outlet="Voorbeeldkrant",
                    )
                ],
            ),
            Story(
                anchor="melkprijs",
                headline="Frisian dairy cooperative raises the price it pays farmers for milk",
                bullets=["The guaranteed price rises by 2 euro cents to 52 cents a litre from November."],
                sources=[
                    StorySource(
                        source_path="nieuws/melkprijs.txt",
                        original_title="Zuivelcoöperatie verhoogt melkprijs voor boeren",
                        date="2025-10-05",
                        date_source="mtime",
                        outlet=None,
                        translation_link="translations/melkprijs.html",
                    )
                ],
            ),
        ],
        generated_at="2025-10-06T18:30:00+02:00",
        models={"translator": "Helsinki-NLP/opus-mt-nl-en", "summarizer": "Qwen/Qwen2.5-0.5B-Instruct"},
        notes=["nieuws/leeg.txt: no text after the metadata; not included."],
    )


SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
QUOTES = "\"quotes\" & 'apostrophes'"
FAKE = "</section><h1>fake</h1>"
COMMENT = "<!-- the rest is hidden"
NOT_HEADING = "# Not a heading"
JS_LINK = "[link](javascript:alert(1))"
JS_URL = "javascript:alert(1)"
OVERVIEW = "**bold** <b>x</b> and `code` with ![img](https://example.org/x.png)"
HOSTILE_TEXTS = [SCRIPT, IMG, QUOTES, FAKE, COMMENT, NOT_HEADING, JS_LINK, JS_URL, OVERVIEW]


def hostile_briefing() -> Briefing:
    """A briefing whose article and model text tries every way to change the page."""
    return Briefing(
        title=f"Briefing {COMMENT}",
        period="2025-10-06 <i>",
        overview=OVERVIEW,
        stories=[
            Story(
                anchor="kalm-nieuws",
                headline="Quiet day at the Tweede Kamer",
                bullets=["Nothing happened.", "Really nothing."],
                sources=[
                    StorySource(
                        source_path="nieuws/kalm.txt",
                        original_title="Rustige dag",
                        date="2025-10-06",
                        date_source="metadata",
                        url="https://www.example.nl/kalm",
                        outlet="Voorbeeldkrant",
                        translation_link="translations/kalm.html",
                    )
                ],
            ),
            Story(
                anchor="hostile",
                headline=SCRIPT,
                bullets=[IMG, QUOTES, FAKE, COMMENT, JS_LINK, "- a list?\n# a heading?\n\n```\nfenced"],
                sources=[
                    StorySource(
                        source_path='nieuws/<b>"evil".txt',
                        original_title=NOT_HEADING,
                        date="2025-10-06",
                        date_source="mtime",
                        url=JS_URL,
                        outlet="<i>Outlet</i> | table | ",
                        translation_link='translations/"><script>alert(1)</script>.html',
                        headline=FAKE,
                    ),
                    StorySource(
                        source_path="nieuws/second.txt",
                        original_title=JS_LINK,
                        date="<b>2025</b>",
                        date_source="metadata",
                        url='https://example.org/a"onmouseover="alert(1)',
                        outlet=SCRIPT,
                        translation_link="//evil.example.com/x",
                        headline=f"{JS_LINK} ## two",
                    ),
                ],
            ),
        ],
        generated_at=f"2025-10-06T18:30:00 {FAKE}",
        models={"translator": SCRIPT, "summarizer": None},
        notes=[IMG, f"1. {NOT_HEADING}"],
        missing=[
            MissingArticle(source_path=f"nieuws/{FAKE}.txt", reason=SCRIPT),
            MissingArticle(source_path="nieuws/tweede.txt", reason=f"- {JS_LINK}\n# {COMMENT}"),
        ],
    )


def benign_twin(b: Briefing) -> Briefing:
    """The same shape as ``b`` (same stories, bullets, sources, which optional fields are set and whether
    each URL is http(s)), with plain words in place of every text."""

    def source(s: StorySource) -> StorySource:
        url = None if s.url is None else ("https://example.org/plain" if http_url(s.url) else "plain text")
        return dataclasses.replace(
            s,
            source_path="plain/path.txt",
            original_title=s.original_title and "Gewone titel",
            date=s.date and ("2025-10-06" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", s.date) else "unknown"),
            url=url,
            outlet=s.outlet and "Plain outlet",
            translation_link=s.translation_link and "translations/plain.html",
            headline=s.headline and "Plain headline",
        )

    return dataclasses.replace(
        b,
        title="Plain title",
        period="2025-10-06",
        overview=b.overview and "Plain overview.",
        stories=[
            dataclasses.replace(
                story,
                headline="Plain headline",
                bullets=["Plain bullet."] * len(story.bullets),
                sources=[source(s) for s in story.sources],
            )
            for story in b.stories
        ],
        generated_at="2025-10-06T18:30:00",
        models={role: model and "plain-model" for role, model in b.models.items()},
        notes=["Plain note."] * len(b.notes),
        missing=[MissingArticle("plain/path.txt", "Plain reason.")] * len(b.missing),
    )
