"""A translate run over real files with a fake backend, and a reporter that records what it was told."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from helpers.fakes import FakeBackend
from pipeline.run.batch import BatchRun
from pipeline.run.contracts import FileOutcome, RunOptions, RunSummary
from pipeline.stages.translate import LazyTranslator, TranslateStage, TranslatorConfig
from pipeline.translate.translator import TranslateSettings


@dataclass
class TranslateJob:
    """What `nlbrief translate` would be asked, in one place for these tests."""

    inputs: list[str]
    out_dir: Path
    fmt: str = "txt"
    model: str = "unused"
    settings: TranslateSettings = field(default_factory=TranslateSettings)
    force: bool = False
    to_stdout: bool = False


def TranslateRun(job: TranslateJob, reporter, backend_factory=None, **io) -> BatchRun:  # noqa: N802
    translator = LazyTranslator(TranslatorConfig(job.model, "torch", job.settings), backend_factory)
    options = RunOptions(job.inputs, job.out_dir, force=job.force, to_stdout=job.to_stdout)
    return BatchRun(options, TranslateStage(translator, job.fmt), reporter, **io)


class RecordingReporter:
    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []

    def start(self, files: int) -> None:
        self.events.append(("start", files))

    def segments(self, done: int, total: int) -> None:
        self.events.append(("segments", (done, total)))

    def summarized(self, done: int, total: int) -> None:
        self.events.append(("summarized", (done, total)))

    def file_done(self, outcome: FileOutcome) -> None:
        self.events.append(("file", outcome))

    def note(self, text: str) -> None:
        self.events.append(("note", text))

    def finish(self, summary: RunSummary) -> None:
        self.events.append(("finish", summary))

    def abort(self) -> None:
        self.events.append(("abort", None))


class CountingFactory:
    def __init__(self) -> None:
        self.loads = 0
        self.backend = FakeBackend()

    def __call__(self, source, options):
        self.loads += 1
        return self.backend


def model_dir(tmp_path: Path) -> str:
    folder = tmp_path / "model"
    folder.mkdir(exist_ok=True)
    (folder / "config.json").write_text("{}")
    return str(folder)
