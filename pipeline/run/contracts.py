"""What a batch run is given and gives back: options, the Stage and Reporter it talks to, outcomes.

Kept apart from the run itself so stages, reporters and the CLI can name these without the
machinery (and so batch.py stays readable).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import KW_ONLY, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from pipeline.errors import InputError, Interrupted, ModelError, UsageError
from pipeline.ingest.document import Document

Progress = Callable[[int, int], None]

_UNITS = {
    "": 1024 * 1024,
    "B": 1,
    "KB": 1024,
    "K": 1024,
    "MB": 1024**2,
    "M": 1024**2,
    "GB": 1024**3,
    "G": 1024**3,
}


def parse_size(text: str, option: str = "--max-file-size") -> int:
    """``20MB``, ``500KB``, ``1.5GB`` or a bare number of megabytes, in bytes; ``option`` is what the
    error names."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*", text)
    unit = match.group(2).upper() if match else ""
    if not match or unit not in _UNITS or float(match.group(1)) <= 0:
        raise UsageError(f"{option} {text!r} is not a size; write e.g. 20MB, 500KB or 1GB")
    return int(float(match.group(1)) * _UNITS[unit])


# Far above any news article (a long feature is ~100 KB), low enough that a mistaken input
# (a database dump, a log) is refused before it is read into memory. As --max-file-size spells it.
DEFAULT_MAX_FILE_SIZE_TEXT = "20MB"
DEFAULT_MAX_FILE_SIZE = parse_size(DEFAULT_MAX_FILE_SIZE_TEXT)
# Characters of input per wave (a day of 20 to 50 articles): the sentences of a wave share translation
# batches and its articles summary groups, so a wave cut short leaves a group part-empty; the translation
# memory keeps every sentence finished before a stop, so a bigger wave risks little work.
DEFAULT_WAVE_CHARS = 100_000
# Where each command writes when -o is not given: one owner for the CLI's defaults, the composition
# root's and the config file's.
DEFAULT_OUTPUT = {
    "translate": "outputs/translations",
    "process": "outputs/articles",
    "summarize": "outputs/summaries",
    "brief": "outputs/briefings",
}


@dataclass
class RunOptions:
    inputs: list[str]
    out_dir: Path
    _: KW_ONLY
    include: list[str] | None = None
    exclude: list[str] | None = None
    force: bool = False
    to_stdout: bool = False  # write the rendered result to stdout: no files, no manifest
    wave_chars: int = DEFAULT_WAVE_CHARS
    # Documents this run is not about (e.g. other days than a briefing's) are left alone:
    # not processed and not recorded. Up-to-date inputs are skipped before this is asked.
    keep: Callable[[Document], bool] | None = None
    # Other output folders of the same command (a briefing's), never read as inputs.
    skip_dirs: list[Path] = field(default_factory=list)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    wait_for_lock: bool = False  # when another run holds out_dir: wait for it instead of exiting


@dataclass
class StageOutput:
    """What a stage made of one document: one text per suffix of the stage, or why it could not.

    ``error`` fails this document alone (no output is written, the run goes on): the one-line
    message naming the file and the fix, with ``reason`` as a page for readers says it, as in
    FileOutcome. ``failure`` makes one from an InputError.
    """

    texts: list[str]
    warnings: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    reason: str | None = None

    @classmethod
    def failure(cls, err: InputError) -> StageOutput:
        return cls([], error=str(err), reason=err.reason)


class Stage(Protocol):
    @property
    def suffixes(self) -> tuple[str, ...]:
        """One output file per suffix; the first is the primary output."""

    stdout_suffix: str  # the output a filter run (`nlbrief X -`) prints: the one a person reads
    command: str  # the nlbrief command whose outputs these are: an output folder holds one command's

    @property
    def model_loaded(self) -> bool: ...

    def validate(self) -> None:
        """Before any work: raise UsageError for option values the run cannot use, ModelError for
        a model that is neither on disk nor downloadable. Loads no model."""

    def fingerprint_fields(self) -> dict[str, Any]:
        """Everything that changes the outputs (models and revisions, settings); loads no model."""

    def provenance(self) -> dict[str, Any]: ...

    def check(self, doc: Document) -> None:
        """Raise InputError for a document this stage must refuse (e.g. not Dutch)."""

    def run_wave(
        self, docs: list[Document], progress: Progress, summarized: Progress
    ) -> Iterable[tuple[int, StageOutput]]:
        """(index in ``docs``, output) for each document, each as soon as it is finished, so the run
        saves it before the stage goes on; an output with ``error`` fails that document alone.
        ``progress`` counts sentences translated, ``summarized`` articles summarized, of the wave.
        Raises NlbriefError when a model cannot be had."""


class Status(StrEnum):
    """What became of one input; a str, so outcomes and manifest lines hold the plain value."""

    OK = "ok"
    SKIPPED = "skipped"  # up to date
    FAILED = "failed"
    NOT_DONE = "not done"  # the run was interrupted before it


@dataclass
class FileOutcome:
    input: str
    status: Status
    output: str | None = None
    error: str | None = None
    # The failure as a page for readers says it: without the file name (the page names the input) and
    # without command-line advice, which is for whoever runs nlbrief (stderr and the manifest).
    reason: str | None = None
    sha256: str | None = None
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    stats: dict[str, int] = field(default_factory=dict)
    # Kinds of warning with more than a few (see warning_groups): the first of each, and how many.
    warning_counts: dict[str, int] = field(default_factory=dict)


@dataclass
class RunSummary:
    outcomes: list[FileOutcome]
    notes: list[str]
    elapsed_s: float
    model_error: str | None = None
    model_loaded: bool = False
    interrupted: bool = False
    output_dir: str | None = None  # where the outputs went; None when to stdout
    manifest: str | None = None

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return Interrupted.exit_code
        if self.model_error:
            return ModelError.exit_code
        return 1 if self.count(Status.FAILED) else 0

    def checks(self) -> dict[str, int] | None:
        """What the checks flagged in the inputs done in this run (their stats' ``findings``, counted
        by the stage); None when the stage does not check."""
        done = [o for o in self.outcomes if o.status == Status.OK and "findings" in o.stats]
        if not done:
            return None
        return {
            "checked": len(done),
            "flagged": sum(1 for o in done if o.stats["findings"]),
            "findings": sum(o.stats["findings"] for o in done),
        }

    def stage_seconds(self) -> dict[str, float]:
        """Each stage's seconds over the inputs done in this run (the outputs' own ``*_s`` timings, which
        stages give per input), model loads aside: where a run's time went."""
        totals: dict[str, float] = {}
        for outcome in self.outcomes:
            if outcome.status != Status.OK:
                continue
            for key, value in outcome.timings.items():
                if key.endswith("_s") and not key.endswith("load_s") and key != "wave_s":
                    totals[key] = totals.get(key, 0.0) + value
        return {key: round(value, 3) for key, value in totals.items()}

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.count(Status.OK),
            "skipped": self.count(Status.SKIPPED),
            "failed": self.count(Status.FAILED),
            "not_done": self.count(Status.NOT_DONE),
            "interrupted": self.interrupted,
            "elapsed_s": round(self.elapsed_s, 3),
            "notes": self.notes,
            "model_error": self.model_error,
            "model_loaded": self.model_loaded,
            "checks": self.checks(),
            "stage_s": self.stage_seconds(),
            "output_dir": self.output_dir,
            "manifest": self.manifest,
            "files": [o.__dict__ for o in self.outcomes],
        }


class Reporter(Protocol):
    def start(self, files: int) -> None: ...
    def segments(self, done: int, total: int) -> None: ...
    def summarized(self, done: int, total: int) -> None: ...
    def file_done(self, outcome: FileOutcome) -> None: ...
    def note(self, text: str) -> None: ...
    def finish(self, summary: RunSummary) -> None: ...
    def abort(self) -> None:
        """The run ends by an error raised to its caller, who reports it: put away the progress."""
