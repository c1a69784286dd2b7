"""The translate run: discover, skip what is done, translate the rest in waves, store.

Documents are translated in waves of a bounded size: sentences of all documents in a wave
share batches (speed), and each wave's outputs are written before the next begins (a kill
loses at most one wave; memory stays bounded on huge folders).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pipeline import __version__
from pipeline.backends import BackendOptions, TranslationBackend
from pipeline.backends import backend_factory as registered_backend
from pipeline.discover import SourceFile, discover
from pipeline.document import Document
from pipeline.errors import InputError, ModelError, NlbriefError
from pipeline.models import DEFAULT_TRANSLATOR, ModelSource, locate_model
from pipeline.render import renderer
from pipeline.sources import read_document
from pipeline.store import (
    Manifest,
    atomic_write_text,
    fingerprint,
    is_up_to_date,
    plan_outputs,
    remove_stale_temp_files,
    sha256_bytes,
)
from pipeline.translate import TranslateSettings, Translator, check_language

# Output records change shape rarely; bumping this redoes every output once.
OUTPUT_SCHEMA = 1


@dataclass
class TranslateJob:
    inputs: list[str]
    out_dir: Path
    fmt: str = "txt"
    model: str = DEFAULT_TRANSLATOR
    backend: str = "torch"
    settings: TranslateSettings = field(default_factory=TranslateSettings)
    device: str = "auto"
    threads: int | None = None
    allow_pickle: bool = False
    include: list[str] | None = None
    exclude: list[str] | None = None
    force: bool = False
    to_stdout: bool = False  # write the rendered translation to stdout: no files, no manifest
    wave_chars: int = 40_000


@dataclass
class FileOutcome:
    input: str
    status: str  # ok | skipped | failed
    output: str | None = None
    error: str | None = None
    sha256: str | None = None
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    stats: dict[str, int] = field(default_factory=dict)


@dataclass
class RunSummary:
    outcomes: list[FileOutcome]
    notes: list[str]
    elapsed_s: float
    model_error: str | None = None
    model_loaded: bool = False

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def exit_code(self) -> int:
        if self.model_error:
            return ModelError.exit_code
        return 1 if self.count("failed") else 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.count("ok"),
            "skipped": self.count("skipped"),
            "failed": self.count("failed"),
            "elapsed_s": round(self.elapsed_s, 3),
            "notes": self.notes,
            "model_error": self.model_error,
            "model_loaded": self.model_loaded,
            "files": [o.__dict__ for o in self.outcomes],
        }


class Reporter(Protocol):
    def start(self, files: int) -> None: ...
    def segments(self, done: int, total: int) -> None: ...
    def file_done(self, outcome: FileOutcome) -> None: ...
    def note(self, text: str) -> None: ...
    def finish(self, summary: RunSummary) -> None: ...


@dataclass
class _Pending:
    src: SourceFile
    output: Path
    doc: Document


class TranslateRun:
    """One ``nlbrief translate`` invocation; ``backend_factory`` lets tests swap the engine."""

    def __init__(
        self,
        job: TranslateJob,
        reporter: Reporter,
        backend_factory: Callable[[ModelSource, BackendOptions], TranslationBackend] | None = None,
        read_stdin: Callable[[], bytes] = lambda: sys.stdin.buffer.read(),
        emit: Callable[[str], None] = lambda text: sys.stdout.write(text),
    ) -> None:
        self.emit = emit
        self.job = job
        self.reporter = reporter
        # Resolved now so that a wrong --backend fails before any file is read.
        self.backend_factory = backend_factory or registered_backend(job.backend)
        self.read_stdin = read_stdin
        # Absolute, so manifest records mean the same whatever folder the next run starts in.
        self.out_dir = Path(os.path.abspath(job.out_dir))
        self.manifest = Manifest(self.out_dir / "manifest.jsonl")
        self.outcomes: list[FileOutcome] = []
        self.notes: list[str] = []
        self._translator: Translator | None = None
        self._load_s = 0.0
        self._source: ModelSource | None = None
        self._model_error: str | None = None

    def run(self) -> RunSummary:
        begin = time.perf_counter()
        job = self.job
        renderer(job.fmt)  # an unknown format fails before any work
        found = discover(job.inputs, job.include, job.exclude, skip_dirs=[self.out_dir])
        for note in found.notes():
            self._note(note)
        if not found.files and not found.problems:
            self._note("no input files found; nlbrief reads .txt and .md files (see --include)")
        self.reporter.start(len(found.files) + len(found.problems))
        for problem in found.problems:
            self._finish(FileOutcome(problem.path, "failed", error=str(problem)))

        if not job.to_stdout and (stale := remove_stale_temp_files(self.out_dir)):
            self._note(f"removed {stale} unfinished temp file(s) left by an interrupted run")
        suffix, _ = renderer(job.fmt)
        outputs = self._plan_outputs(found.files, suffix)
        self._source = self._locate(download=False)
        wanted_fp = self._fingerprint()
        previous = {} if job.force else self.manifest.latest_ok()

        wave: list[_Pending] = []
        wave_chars = 0
        for src in found.files:
            pending = self._prepare(src, outputs[src], previous, wanted_fp)
            if pending is None:
                continue
            wave.append(pending)
            wave_chars += sum(len(p.text) for p in pending.doc.units())
            if wave_chars >= job.wave_chars:
                self._translate_wave(wave)
                wave, wave_chars = [], 0
        if wave:
            self._translate_wave(wave)
        summary = RunSummary(
            self.outcomes,
            self.notes,
            time.perf_counter() - begin,
            self._model_error,
            model_loaded=self._translator is not None,
        )
        self.reporter.finish(summary)
        return summary

    def _plan_outputs(self, files: list[SourceFile], suffix: str) -> dict[SourceFile, Path]:
        walked = {Path(p).resolve() for p in self.job.inputs if p != "-" and Path(p).is_dir()}
        several = len(self.job.inputs) > 1

        def prefix(src: SourceFile) -> str:
            root = src.root.resolve() if src.root else None
            return root.name if several and root in walked else ""

        paths = plan_outputs([(prefix(src), src.rel) for src in files], self.out_dir, suffix)
        return dict(zip(files, paths, strict=True))

    def _note(self, text: str) -> None:
        self.notes.append(text)
        self.reporter.note(text)

    def _locate(self, download: bool) -> ModelSource | None:
        try:
            return locate_model(self.job.model, download=download)
        except ModelError:
            if download:
                raise
            return None  # not on disk yet: nothing can be up to date, and we download if work needs it

    def _fingerprint(self) -> str:
        source = self._source
        return fingerprint(
            {
                "schema": OUTPUT_SCHEMA,
                "model": str(source.path) if source and source.origin == "local folder" else self.job.model,
                "revision": source.revision if source else None,
                "backend": self.job.backend,
                "format": self.job.fmt,
                **self.job.settings.fingerprint_fields(),
            }
        )

    def _prepare(self, src: SourceFile, output: Path, previous: dict, wanted_fp: str) -> _Pending | None:
        label = "-" if src.path is None else str(src.path)
        try:
            data = self.read_stdin() if src.path is None else _read_bytes(src.path)
            digest = sha256_bytes(data)
            if not self.job.to_stdout and is_up_to_date(
                previous.get(str(output)), sha256=digest, fingerprint=wanted_fp, output=output
            ):
                self._finish(FileOutcome(label, "skipped", output=str(output), sha256=digest))
                return None
            doc = read_document(src, data)
            if self.job.settings.language_check:
                check_language(doc)
        except InputError as err:
            self._finish(FileOutcome(label, "failed", error=str(err)))
            return None
        return _Pending(src, output, doc)

    def _ensure_translator(self) -> Translator:
        if self._translator is None:
            begin = time.perf_counter()
            self._source = self._source or self._locate(download=True)
            options = BackendOptions(
                beams=self.job.settings.beams,
                device=self.job.device,
                threads=self.job.threads,
                allow_pickle=self.job.allow_pickle,
            )
            backend = self.backend_factory(self._source, options)
            self._translator = Translator(backend, self.job.settings)
            self._load_s = time.perf_counter() - begin
        return self._translator

    def _translate_wave(self, wave: list[_Pending]) -> None:
        if self._model_error:
            for item in wave:
                self._finish(self._failed(item, self._model_error))
            return
        try:
            translator = self._ensure_translator()
        except NlbriefError as err:
            self._model_error = str(err)
            for item in wave:
                self._finish(self._failed(item, str(err)))
            return
        begin = time.perf_counter()
        results = translator.translate_documents([item.doc for item in wave], self.reporter.segments)
        wave_s = time.perf_counter() - begin
        total_tokens = sum(r.stats()["source_tokens"] for r in results) or 1
        provenance_base = self._provenance()
        _, render = renderer(self.job.fmt)
        for item, result in zip(wave, results, strict=True):
            stats = result.stats()
            label = item.doc.source_path
            provenance = {"input": label, **provenance_base}
            timings = {
                "translate_s": round(wave_s * stats["source_tokens"] / total_tokens, 3),
                "wave_s": round(wave_s, 3),
                "model_load_s": round(self._load_s, 3),
            }
            try:
                text = render(result, provenance)
                if self.job.to_stdout:
                    self.emit(text)
                else:
                    atomic_write_text(item.output, text)
            except NlbriefError as err:
                self._finish(self._failed(item, str(err)))
                continue
            self._finish(
                FileOutcome(
                    label,
                    "ok",
                    output="-" if self.job.to_stdout else str(item.output),
                    sha256=item.doc.sha256,
                    warnings=result.warnings,
                    timings=timings,
                    stats=stats,
                ),
                output_sha256=sha256_bytes(text.encode("utf-8")),
            )

    def _failed(self, item: _Pending, error: str) -> FileOutcome:
        return FileOutcome(item.doc.source_path, "failed", error=error, sha256=item.doc.sha256)

    def _provenance(self) -> dict[str, Any]:
        source = self._source
        return {
            "model": self.job.model,
            "model_path": str(source.path) if source else None,
            "model_revision": source.revision if source else None,
            "backend": self.job.backend,
            "format": self.job.fmt,
            "settings": {
                **self.job.settings.fingerprint_fields(),
                "batch_tokens": self.job.settings.batch_tokens,
            },
            "nlbrief": __version__,
        }

    def _finish(self, outcome: FileOutcome, output_sha256: str | None = None) -> None:
        self.outcomes.append(outcome)
        if not self.job.to_stdout:
            record = {
                **outcome.__dict__,
                "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "fingerprint": self._fingerprint(),
                "output_sha256": output_sha256,
                **self._provenance(),
            }
            self.manifest.append(record)
        self.reporter.file_done(outcome)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputError(str(path), f"cannot be read ({err.strerror or err}); check its permissions") from err
