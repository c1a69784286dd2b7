"""What a story of the briefing says of its checks: the mark beside its headline and each key point
shown, and its short "Checks" section (the lead article's summary and every source's translation)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.briefing.model import StorySource
from pipeline.briefing.outlets import source_name
from pipeline.stages.marks import mark, reason
from pipeline.stages.saved import SavedArticle
from pipeline.text.plural import counted

NOT_CHECKED = (
    "Not checked: its article record was made before nlbrief checked facts; rerun the briefing with "
    "--force to check it."
)
NOTHING_FLAGGED = (
    "Nothing flagged: every number, date and name of the headline and key points was found in the "
    "article, and no sentence of the translation was flagged."
)


@dataclass(frozen=True)
class StoryChecks:
    headline: str  # the mark beside the headline, "" when not flagged
    bullets: list[str]  # the mark beside each key point shown, "" when not flagged
    lines: list[str]  # the story's "Checks" section


def story_checks(
    lead: SavedArticle, records: Sequence[SavedArticle], sources: Sequence[StorySource]
) -> StoryChecks:
    """The checks of a story whose headline and key points are ``lead``'s, told of ``records`` (the
    lead among them), whose page entries are ``sources`` (in the same order)."""
    checks = lead.checks
    if checks is None:
        return StoryChecks("", [""] * len(lead.bullets), [NOT_CHECKED])
    bullets = [mark(claim.findings) for claim in checks.bullets]
    bullets = (bullets + [""] * len(lead.bullets))[: len(lead.bullets)]
    lines = [f"Headline: {reason(checks.headline.findings)}."] if checks.headline.flagged else []
    lines += [
        f"Key point {n}: {reason(claim.findings)}."
        for n, claim in enumerate(checks.bullets, 1)
        if claim.flagged
    ]
    if checks.dropped:
        why = "; ".join(reason(claim.findings) for claim in checks.dropped)
        left_out = counted(len(checks.dropped), "key point")
        lines.append(f"{left_out} left out (a fact in it was not in the article): {why}.")
    for record, source in zip(records, sources, strict=True):
        if record.checks is None:
            continue
        flagged = {f.where for f in record.checks.translation if f.warning}
        if flagged:
            lines.append(
                f"The translation of {source_name(source)} has {counted(len(flagged), 'flagged sentence')}; "
                "its full translation marks them."
            )
    return StoryChecks(mark(checks.headline.findings), bullets, lines or [NOTHING_FLAGGED])
