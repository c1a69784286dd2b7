"""``nlbrief brief``: the day's articles processed (or their records reused), grouped into stories,
opened by an overview, written as Markdown, HTML (both from templates) and JSON; then the Atom feed of
the briefings in the folder (pipeline/stages/brief_feed.py)."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pipeline.briefing.feed import DEFAULT_FEED_DAYS
from pipeline.briefing.model import Briefing, MissingArticle, Story, StorySource
from pipeline.briefing.outlets import outlet_name, story_outlets
from pipeline.briefing.render import render_html, render_json, render_markdown
from pipeline.briefing.stories import DEFAULT_THRESHOLD
from pipeline.briefing.templating import PageTemplates
from pipeline.errors import InputError, ModelError, NlbriefError, TemplateError, UsageError
from pipeline.ingest.discover import discover
from pipeline.ingest.reading import read_input
from pipeline.ingest.sources import read_document
from pipeline.run.batch import BatchRun
from pipeline.run.contracts import (
    DEFAULT_MAX_FILE_SIZE,
    DEFAULT_OUTPUT,
    Reporter,
    RunOptions,
    RunSummary,
    Stage,
)
from pipeline.run.files import atomic_write_text, check_output_folder, sha256_file
from pipeline.run.lock import FolderLock
from pipeline.run.manifest import BRIEFING_SCHEMA, fingerprint, templates_digest
from pipeline.stages.brief_checks import story_checks
from pipeline.stages.brief_feed import write_feed
from pipeline.stages.brief_sources import Records, missing_articles, order_stories
from pipeline.stages.saved import SavedArticle
from pipeline.summarize.templates import Template
from pipeline.text.plural import counted


@dataclass
class BriefRequest:
    inputs: list[str]
    out_dir: Path = Path(DEFAULT_OUTPUT["brief"])
    articles_dir: Path = Path(DEFAULT_OUTPUT["process"])
    date: str | None = None
    since: str | None = None
    until: str | None = None
    threshold: float = DEFAULT_THRESHOLD
    include: list[str] | None = None
    exclude: list[str] | None = None
    force: bool = False
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    wait_for_lock: bool = False
    template_dir: Path | None = None  # edited copies of the page templates (--template-dir)
    feed_days: int = DEFAULT_FEED_DAYS  # the briefings.atom feed holds the newest this many days


@dataclass
class BriefResult:
    paths: list[Path]
    stories: int
    sources: int
    process: RunSummary
    skipped: bool = False  # the briefing was already up to date
    missing: list[MissingArticle] = field(default_factory=list)
    # Why no briefing was written (the files already there were left as they were), or None.
    not_written: str | None = None
    error: NlbriefError | None = None  # the error that stopped the run before a briefing, if any
    kept: bool = False  # not written, and a briefing of the period was already there (left whole)
    seconds: float = 0.0  # making the briefing from the records: stories, overview, pages
    feed: Path | None = None  # the Atom feed, rebuilt after a briefing is written or found up to date

    @property
    def interrupted(self) -> bool:
        """Ctrl-C stopped the article run, so no briefing was written."""
        return self.process.interrupted

    @property
    def exit_code(self) -> int:
        if self.error is not None:
            return self.error.exit_code
        # Not written is never a success, even when no single article reported a failure.
        return self.process.exit_code or (1 if self.not_written else 0)

    @property
    def status(self) -> str:
        return "not written" if self.not_written else "up to date" if self.skipped else "written"

    def end_line(self) -> str | None:
        """The run's last line on stderr: what became of the briefing, and where it is. None when
        an error stopped the run and there was no briefing to keep: the error line says it all."""
        if self.error is not None and not self.kept:
            return None
        if self.not_written:
            return f"briefing not written: {self.not_written}"
        counts = f"{counted(self.stories, 'story', 'stories')} from {counted(self.sources, 'article')}"
        missing = f" ({len(self.missing)} missing)" if self.missing else ""
        feed = f"; feed {self.feed}" if self.feed else ""
        return f"briefing {self.status}: {counts}{missing} -> " + ", ".join(map(str, self.paths)) + feed

    def as_dict(self) -> dict[str, Any]:
        """The --json summary: the article run's, with what became of the briefing."""
        briefing = {
            "status": self.status,
            "paths": [] if self.not_written else [str(p) for p in self.paths],
            "stories": self.stories,
            "articles": self.sources,
            "missing": [m.__dict__ for m in self.missing],
            "not_written": self.not_written,
            "seconds": round(self.seconds, 3),
        }
        error = {"error": str(self.error)} if self.error is not None else {}
        feed = str(self.feed) if self.feed else None
        return {**self.process.as_dict(), **error, "briefing": briefing, "feed": feed}


def _valid_day(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise UsageError(f"{option} {value!r} is not a date; write it as YYYY-MM-DD") from None


def choose_period(days: set[str], request: BriefRequest) -> tuple[str, str]:
    """(first, last) day of the briefing: --date, or --since/--until, else the newest day present."""
    date = _valid_day(request.date, "--date")
    since, until = _valid_day(request.since, "--since"), _valid_day(request.until, "--until")
    if date and (since or until):
        raise UsageError("use either --date or --since/--until, not both")
    if not days:
        raise UsageError(
            "no readable articles found; check the paths (nlbrief reads .txt, .md and .html files)"
        )
    if date:
        first = last = date
    elif since or until:
        first, last = since or min(days), until or max(days)
        if first > last:
            raise UsageError(f"--since {first} is after --until {last}")
    else:
        first = last = max(days)
    if not any(first <= day <= last for day in days):
        present = ", ".join(sorted(days))
        raise UsageError(
            f"no articles dated {first if first == last else f'{first} to {last}'}; dates present: {present}"
        )
    return first, last


class BriefingStage(Stage, Protocol):
    """What a briefing needs of the stage that writes its article records (ProcessStage in nlbrief,
    a fake in tests): a batch run's stage, and the summarizer's part in the briefing."""

    def summarizer_fields(self) -> dict[str, Any]:
        """The summarizer's fingerprint fields: another summarizer or settings redo the briefing."""

    def model_names(self) -> dict[str, str | None]:
        """The briefing's ``models``: {"translator": ..., "summarizer": ...} as they were asked for."""

    def overview_template(self) -> Template:
        """The overview prompt, read now; a run reads it once, for its fingerprint and its prompt."""

    def write_overview(
        self, template: Template, period: str, stories: Sequence[tuple[str, list[str]]]
    ) -> tuple[str, list[str]]:
        """(paragraph, warnings) from (headline, bullets) per story, most important first; loads
        the summarizer (NlbriefError when it cannot be had)."""


class BriefRun:
    def __init__(self, request: BriefRequest, stage: BriefingStage, reporter: Reporter) -> None:
        self.request = request
        self.stage = stage
        self.reporter = reporter
        self.templates = PageTemplates(request.template_dir)

    def run(self) -> BriefResult:
        """Raises BusyError when another run holds the briefing folder (unless wait_for_lock)."""
        check_output_folder(self.request.out_dir)
        check_output_folder(self.request.articles_dir, "--articles")
        self.templates.check()  # a template that cannot be used stops the run before any work
        dates = self._dates()
        first, last = choose_period({d for d in dates.values() if d}, self.request)
        try:  # before the lock, so a wrong option value or a missing model creates no folder
            self.stage.validate()
        except NlbriefError as err:
            model_error = str(err) if isinstance(err, ModelError) else None
            summary = RunSummary([], [], 0.0, model_error)
            return _not_written(self._paths(first, last), _no_articles(first, last), summary, error=err)
        with FolderLock(self.request.out_dir, wait=self.request.wait_for_lock, on_wait=self.reporter.note):
            result = self._run(dates, first, last)
            if not result.not_written:
                result.feed = write_feed(self.request.out_dir, self.request.feed_days, self.reporter.note)
            return result

    def _paths(self, first: str, last: str) -> list[Path]:
        name = first if first == last else f"{first}_{last}"
        return [self.request.out_dir / f"{name}{suffix}" for suffix in (".md", ".html", ".json")]

    def _run(self, dates: dict[str, str | None], first: str, last: str) -> BriefResult:
        req = self.request

        def in_period(day: str | None) -> bool:
            return day is not None and first <= day <= last

        options = RunOptions(
            inputs=req.inputs,
            out_dir=req.articles_dir,
            include=req.include,
            exclude=req.exclude,
            force=req.force,
            keep=lambda d: in_period(d.date),
            skip_dirs=[req.out_dir],
            max_file_size=req.max_file_size,
            wait_for_lock=req.wait_for_lock,
        )
        period = _period_text(first, last)
        paths = self._paths(first, last)
        # A briefing is written only from articles that were processed: a run that made none
        # (no model, every article refused) keeps the briefing already there, whole.
        no_articles = _no_articles(first, last)
        try:
            processed = BatchRun(options, self.stage, self.reporter).run()
        except NlbriefError as err:
            return _not_written(paths, no_articles, RunSummary([], [], 0.0), error=err)
        if processed.interrupted:
            return _not_written(paths, "the run was interrupted", processed)
        records: Records = []
        missing = missing_articles(processed, dates, in_period)
        for outcome in processed.outcomes:
            if outcome.status in {"ok", "skipped"} and outcome.output:
                try:
                    record = SavedArticle.from_file(Path(outcome.output))
                except InputError:
                    missing.append(MissingArticle(outcome.input, "its article record could not be read"))
                    continue
                if in_period(record.date):
                    records.append((Path(outcome.output), record))
        if not records:
            return _not_written(paths, no_articles, processed, missing)
        overview = self.stage.overview_template()  # once: the fingerprint and the prompt share it
        wanted = self._fingerprint(records, missing, period, overview)
        if not req.force and (stories := _up_to_date(paths, wanted)) is not None:
            return BriefResult(paths, stories, len(records), processed, skipped=True, missing=missing)
        begin = time.perf_counter()
        try:
            briefing = self._build(records, period, overview)
        except NlbriefError as err:  # the overview's model
            return _not_written(paths, "the overview could not be written", processed, missing, err)
        briefing.missing = missing
        briefing.fingerprint = wanted
        try:
            self._write(paths, briefing)
        except TemplateError as err:  # a user's template: nothing is written
            return _not_written(paths, "the briefing template could not be rendered", processed, missing, err)
        result = BriefResult(paths, len(briefing.stories), len(records), processed, missing=missing)
        result.seconds = time.perf_counter() - begin
        return result

    def _write(self, paths: list[Path], briefing: Briefing) -> None:
        """Every page rendered first, then written: a template that fails writes none of them."""
        texts = [render(briefing, self.templates) for render in (render_markdown, render_html, render_json)]
        for path, text in zip(paths, texts, strict=True):
            atomic_write_text(path, text)

    def _dates(self) -> dict[str, str | None]:
        """The day of every input file (metadata, else file date), by the name the processing run
        gives it; None for one that cannot be read, which that run reports."""
        req = self.request
        found = discover(req.inputs, req.include, req.exclude, skip_dirs=[req.out_dir, req.articles_dir])
        dates: dict[str, str | None] = {}
        for src in found.files:
            if src.path is None:
                continue
            dates[str(src.path)] = None
            try:
                doc = read_document(src, read_input(src, req.max_file_size))
            except InputError:
                continue
            dates[str(src.path)] = doc.date
        return dates

    def _fingerprint(
        self, records: Records, missing: list[MissingArticle], period: str, overview: Template
    ) -> str:
        return fingerprint(
            {
                "schema": BRIEFING_SCHEMA,
                "period": period,
                "records": sorted(sha256_file(path) or "" for path, _ in records),
                "missing": sorted((m.source_path, m.reason) for m in missing),
                "summarizer": self.stage.summarizer_fields(),
                # The article records cover the other prompts; the briefing alone uses this one.
                "overview": templates_digest({"overview": overview}),
                "threshold": self.request.threshold,
                "templates": self.templates.digest(),
            }
        )

    def _build(self, records: Records, period: str, overview_template: Template) -> Briefing:
        stories = []
        for number, group in enumerate(order_stories(records, self.request.threshold), start=1):
            lead = group[0][1]
            sources = [self._source(*record) for record in group]
            checked = story_checks(lead, [record for _, record in group], sources)
            story = Story(f"story-{number}", lead.headline, list(lead.bullets), sources)
            story.headline_check, story.bullet_checks = checked.headline, checked.bullets
            story.checks = checked.lines
            story.outlets, story.sources_without_outlet = story_outlets(sources)
            stories.append(story)
        notes: list[str] = []
        overview = ""
        if stories:
            headlines = [(s.headline, s.bullets) for s in stories]
            overview, warnings = self.stage.write_overview(overview_template, period, headlines)
            notes += warnings
        return Briefing(
            title=f"Dutch news in English — {_long_date(period)}",
            period=period,
            overview=overview,
            stories=stories,
            generated_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            models=self.stage.model_names(),
            notes=notes,
        )

    def _source(self, record_path: Path, record: SavedArticle) -> StorySource:
        return StorySource(
            source_path=record.source_path,
            original_title=record.original_title,
            date=record.date,
            date_source=record.date_source,
            url=record.metadata.get("url"),
            outlet=outlet_name(record.metadata),
            headline=record.headline,
            translation_link=self._page_link(record_path.with_suffix(".md")),
            translation_html_link=self._page_link(record_path.with_suffix(".html")),
        )

    def _page_link(self, page: Path) -> str | None:
        """The article page relative to the briefing folder, when it exists."""
        return Path(os.path.relpath(page, self.request.out_dir)).as_posix() if page.exists() else None


def _period_text(first: str, last: str) -> str:
    return first if first == last else f"{first} to {last}"


def _no_articles(first: str, last: str) -> str:
    return f"no article of {_period_text(first, last)} could be processed"


def _not_written(
    paths: list[Path],
    why: str,
    processed: RunSummary,
    missing: list[MissingArticle] | None = None,
    error: NlbriefError | None = None,
) -> BriefResult:
    kept = any(path.exists() for path in paths)
    if kept:
        why += "; the existing briefing is kept"
    return BriefResult(paths, 0, 0, processed, missing=missing or [], not_written=why, error=error, kept=kept)


def _long_date(period: str) -> str:
    def one(day: str) -> str:
        value = dt.date.fromisoformat(day)
        return f"{value.day} {value.strftime('%B')} {value.year}"

    return " to ".join(one(part) for part in period.split(" to "))


def _up_to_date(paths: list[Path], wanted: str) -> int | None:
    """The number of stories of the briefing on disk when it was made from the same records and
    settings (so no model needs loading), else None."""
    if not all(path.exists() for path in paths):
        return None
    try:
        previous = json.loads(paths[2].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return len(previous.get("stories") or []) if previous.get("fingerprint") == wanted else None
