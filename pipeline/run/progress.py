"""How a run talks to the person watching: a progress bar and one line per problem, on stderr.

stdout stays free for results (a translation read from stdin, the --json summary).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, TextIO

from pipeline.run.contracts import FileOutcome, RunSummary, Status
from pipeline.run.warning_groups import warning_lines

# Below this many sentences a wave finishes before a log line would help.
LOG_PROGRESS_FROM = 500


class ConsoleReporter:
    """Progress bar (files and sentence segments) unless quiet; failures and notes always."""

    def __init__(
        self,
        *,
        quiet: bool = False,
        json_summary: bool = False,
        stream: TextIO | None = None,
        verb: str = "translated",
    ) -> None:
        self.quiet = quiet
        self.verb = verb  # what the end line says was done to each file
        self.json_summary = json_summary
        self.stream = stream or sys.stderr
        self._progress: Any = None
        self._files_task: Any = None
        self._segments_task: Any = None
        self._shown_errors: set[str] = set()
        self._logged_tenth = -1  # progress lines for logs: the last tenth of a big wave reported
        self._summarized_task: Any = None
        self._summarized_tenth = -1  # the same for the articles of a wave summarized

    def start(self, files: int) -> None:
        if self.quiet or not self.stream.isatty():
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("{task.description:<10}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(file=self.stream),
            transient=True,
        )
        self._progress.start()
        self._files_task = self._progress.add_task("documents", total=files)
        self._segments_task = self._progress.add_task("sentences", total=None)

    def segments(self, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress.update(self._segments_task, completed=done, total=total)
        elif not self.quiet and total >= LOG_PROGRESS_FROM:
            # No terminal (a cron job's log): a line per tenth of a big wave shows the run is alive.
            tenth = done * 10 // total
            if tenth != self._logged_tenth:
                self._logged_tenth = tenth if done < total else -1  # the next wave starts afresh
                self._print(f"progress: {done}/{total} sentences of this batch of documents")

    def summarized(self, done: int, total: int) -> None:
        if self._progress is not None:
            if self._summarized_task is None:  # only commands that summarize show the line
                self._summarized_task = self._progress.add_task("summarized", total=total)
            self._progress.update(self._summarized_task, completed=done, total=total)
        elif not self.quiet and done and total:
            # No terminal: summarizing takes most of a run, and the log must show it is alive.
            tenth = done * 10 // total
            if tenth != self._summarized_tenth:
                self._summarized_tenth = tenth if done < total else -1
                self._print(f"progress: {done}/{total} articles of this batch of documents summarized")

    def file_done(self, outcome: FileOutcome) -> None:
        if self._progress is not None:
            self._progress.advance(self._files_task)
        if outcome.status == Status.FAILED:
            # A model that cannot load fails every file with the same message: say it once.
            if outcome.error not in self._shown_errors:
                self._shown_errors.add(outcome.error or "")
                self._print(f"error: {outcome.error}")
        elif not self.quiet:
            for line in warning_lines(outcome.warnings, outcome.warning_counts):
                self._print(f"warning: {outcome.input}: {line}")

    def note(self, text: str) -> None:
        if not self.quiet:
            self._print(f"note: {text}")

    def finish(self, summary: RunSummary) -> None:
        self._stop_progress()
        if self.json_summary:
            sys.stdout.write(json.dumps(summary.as_dict(), ensure_ascii=False) + "\n")
        if not self.quiet:
            if summary.interrupted:
                self._print_interrupted(summary)
                return
            ok, skipped, failed = (summary.count(s) for s in (Status.OK, Status.SKIPPED, Status.FAILED))
            self._print(
                f"{ok} {self.verb}, {skipped} skipped (up to date), "
                f"{failed} failed in {summary.elapsed_s:.1f} s" + _checked(summary) + _where(summary)
            )

    def abort(self) -> None:
        self._stop_progress()

    def _stop_progress(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def _print(self, text: str) -> None:
        if self._progress is not None:
            self._progress.console.print(text, markup=False, highlight=False)
        else:
            print(text, file=self.stream, flush=True)

    def _print_interrupted(self, summary: RunSummary) -> None:
        not_done = [o.input for o in summary.outcomes if o.status == Status.NOT_DONE]
        shown = ", ".join(not_done[:10]) + (f" and {len(not_done) - 10} more" if len(not_done) > 10 else "")
        ok, skipped, failed = (summary.count(s) for s in (Status.OK, Status.SKIPPED, Status.FAILED))
        self._print(
            f"interrupted: {ok} done, {skipped} already up to date, {failed} failed, {len(not_done)} not done"
            + (f" ({shown})" if not_done else "")
        )
        self._print("rerun the same command to finish; finished outputs are kept and will be skipped")


def _checked(summary: RunSummary) -> str:
    """ "; checks flagged 3 of 15 (12 findings)": the outputs a reader should look at before trusting."""
    checks = summary.checks()
    if checks is None:
        return ""
    if not checks["flagged"]:
        return f"; checks flagged none of {checks['checked']}"
    return f"; checks flagged {checks['flagged']} of {checks['checked']} ({checks['findings']} findings)"


def _where(summary: RunSummary) -> str:
    if summary.output_dir is None:
        return ""
    manifest = f" (manifest {_shown(summary.manifest)})" if summary.manifest else ""
    return f" -> {_shown(summary.output_dir)}{manifest}"


def _shown(path: str) -> str:
    """A path as short as it is clear: relative when inside the current folder, else as it is."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path
    return path if relative.split(os.sep)[0] == os.pardir else relative
