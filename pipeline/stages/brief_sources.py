"""The articles of a briefing: those that could not be processed, each with a reason for the
reader, and the others grouped into stories, in the briefing's order."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipeline.briefing.model import MissingArticle
from pipeline.briefing.stories import StoryItem, group_stories
from pipeline.run.contracts import FileOutcome, RunSummary
from pipeline.stages.saved import SavedArticle

# An article record read back, beside the file it was read from.
Records = list[tuple[Path, SavedArticle]]


def missing_articles(
    processed: RunSummary, dates: dict[str, str | None], in_period: Callable[[str | None], bool]
) -> list[MissingArticle]:
    """The failed inputs of the period, each with a reason for the reader. An input that could not
    be read has no known day and is listed too: it may be one of the period's."""
    missing = []
    for outcome in processed.outcomes:
        date = dates.get(outcome.input)
        if outcome.status != "failed" or (date is not None and not in_period(date)):
            continue
        reason = reader_reason(outcome, processed.model_error)
        missing.append(MissingArticle(outcome.input, reason if date else f"{reason} (date unknown)"))
    return missing


def reader_reason(outcome: FileOutcome, model_error: str | None) -> str:
    """What went wrong with an input, for a reader of the page: the first clause of the error
    (the rest of an nlbrief message is the fix, for whoever runs the command), without the path."""
    error = outcome.error or ""
    if model_error and error == model_error:
        return "not processed: a model could not be loaded"
    if outcome.reason:  # the error said apart from its fix where it was raised
        return outcome.reason
    error = error.removeprefix(f"{outcome.input}: ")
    depth = 0
    for i, char in enumerate(error):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth <= 0 and error.startswith("; ", i):
            error = error[:i]
            break
    return error.strip() or "not processed"


def order_stories(records: Records, threshold: float) -> list[Records]:
    """The records grouped into stories, the lead article first in each: the biggest story first,
    then the earliest, then by the lead's record path (so that the order is the same every run)."""
    items = [StoryItem(str(path), r.dutch_text(), r.english_text(), r.date) for path, r in records]
    groups = group_stories(items, threshold) if items else []
    groups.sort(key=lambda g: (-len(g), min(records[i][1].date or "" for i in g), str(records[g[0]][0])))
    return [[records[i] for i in group] for group in groups]
