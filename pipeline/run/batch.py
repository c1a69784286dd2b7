"""A batch run over input files: discover, skip what is done, do the rest in waves, store.

The run knows nothing of models: a Stage (translate, process, summarize) turns documents
into output texts. Documents go to the stage in waves of bounded size: the documents of a
wave share model batches (speed; memory stays bounded on huge folders). The stage hands
back each document as soon as it is finished, and its outputs and manifest line are written
then, before the stage goes on: a kill loses only the documents still in the model.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.errors import InputError, Interrupted, NlbriefError, OutputError, UsageError
from pipeline.ingest.discover import SourceFile, discover
from pipeline.ingest.document import Document
from pipeline.ingest.reading import read_input
from pipeline.ingest.sources import read_document
from pipeline.run.contracts import FileOutcome, Reporter, RunOptions, RunSummary, Stage, StageOutput, Status
from pipeline.run.engine import Finished, LocalEngine, WaveEngine
from pipeline.run.files import atomic_write_text, check_output_folder, remove_stale_temp_files, sha256_bytes
from pipeline.run.interrupt import stop_requested
from pipeline.run.lock import FolderLock
from pipeline.run.manifest import (
    Manifest,
    hand_edited,
    is_up_to_date,
    output_fingerprint,
    plan_outputs,
    refuse_other_command,
)
from pipeline.run.warning_groups import bound_warnings


@dataclass
class _Pending:
    src: SourceFile
    outputs: list[Path]
    doc: Document


class BatchRun:
    def __init__(
        self,
        options: RunOptions,
        stage: Stage,
        reporter: Reporter,
        read_stdin: Callable[[], bytes] | None = None,
        emit: Callable[[str], object] | None = None,
        *,
        engine: WaveEngine | None = None,
    ) -> None:
        self.options = options
        self.stage = stage
        self.reporter = reporter
        # One byte past the limit is enough to refuse an endless pipe without holding all of it.
        self.read_stdin = read_stdin
        # stdout as it is now: an engine may point sys.stdout elsewhere while it works (ray_driver.py)
        self.emit = emit or sys.stdout.write
        self.engine = engine or LocalEngine()
        # Absolute, so manifest records mean the same whatever folder the next run starts in.
        self.out_dir = Path(os.path.abspath(options.out_dir))
        self.manifest = Manifest(self.out_dir / "manifest.jsonl")
        self.outcomes: list[FileOutcome] = []
        self.notes: list[str] = []
        self._model_error: str | None = None
        self._fingerprint: str | None = None
        self._interrupted = False
        self._written: dict[str, str] = {}  # output path -> sha256 as nlbrief last wrote it
        self._kept: list[Path] = []  # outputs changed by hand, left as they are

    def run(self) -> RunSummary:
        """Raises BusyError when another run holds the output folder (unless wait_for_lock), and
        the stage's UsageError or ModelError before anything is read or written. A UsageError the
        stage raises later (one only a loaded model can tell) ends the run and is raised too."""
        if not self.options.to_stdout:
            check_output_folder(self.options.out_dir)
        self.stage.validate()
        try:
            if self.options.to_stdout:
                return self._run()
            with FolderLock(self.out_dir, wait=self.options.wait_for_lock, on_wait=self._note):
                summary = self._run()
                self.manifest.compact()
            return summary
        except NlbriefError:
            self.reporter.abort()
            raise

    def _run(self) -> RunSummary:
        begin = time.perf_counter()
        opts = self.options
        if not opts.to_stdout:
            refuse_other_command(self.manifest, self.stage.command, opts.out_dir)
        found = discover(opts.inputs, opts.include, opts.exclude, skip_dirs=[self.out_dir, *opts.skip_dirs])
        for note in found.notes():
            self._note(note)
        if not found.files and not found.problems:
            self._note("no input files found; nlbrief reads .txt, .md and .html files (see --include)")
        self.reporter.start(len(found.files) + len(found.problems))
        for problem in found.problems:
            self._finish(FileOutcome(problem.path, Status.FAILED, error=str(problem), reason=problem.reason))
        if not opts.to_stdout and (stale := remove_stale_temp_files(self.out_dir)):
            self._note(f"removed {stale} unfinished temp file{'s' * (stale != 1)} left by an interrupted run")

        outputs = self._plan_outputs(found.files)
        self._fingerprint = output_fingerprint(self.stage.fingerprint_fields())
        previous = {} if opts.force else self.manifest.latest_ok()
        self._written = {} if opts.force else self.manifest.written()
        self._run_waves(self._waves(found.files, outputs, previous))
        if self._kept:
            self._note_kept()
        summary = RunSummary(
            self.outcomes,
            self.notes,
            time.perf_counter() - begin,
            self._model_error,
            model_loaded=self.stage.model_loaded,
            interrupted=self._interrupted,
            output_dir=None if opts.to_stdout else str(self.out_dir),
            manifest=None if opts.to_stdout else str(self.manifest.path),
        )
        self.reporter.finish(summary)
        return summary

    def _plan_outputs(self, files: list[SourceFile]) -> dict[SourceFile, list[Path] | OutputError]:
        # abspath, not resolve: a clash puts files under their folder's name as the user gave it
        rels = [(os.path.abspath(src.root) if src.root else "", src.rel) for src in files]
        return dict(zip(files, plan_outputs(rels, self.out_dir, self.stage.suffixes), strict=True))

    def _note(self, text: str) -> None:
        self.notes.append(text)
        self.reporter.note(text)

    def _note_kept(self) -> None:
        kept = self._kept
        names = ", ".join(map(str, kept[:3])) + (f" and {len(kept) - 3} more" if len(kept) > 3 else "")
        them = "it" if len(kept) == 1 else "them"
        self._note(f"kept {names}: edited by hand since nlbrief wrote {them}; pass --force to replace {them}")

    def _prepare(
        self, src: SourceFile, outputs: list[Path], previous: dict[str, dict[str, Any]]
    ) -> _Pending | None:
        label = _label(src)
        try:
            data = self._read(src)
            digest = sha256_bytes(data)
            edited: list[Path] = []
            if not self.options.to_stdout:
                assert self._fingerprint is not None  # made before any input is prepared
                before = previous.get(str(outputs[0]))
                edited = hand_edited(self._written, outputs)
                if is_up_to_date(
                    before, sha256=digest, fingerprint=self._fingerprint, outputs=outputs, edited=edited
                ):
                    self._kept.extend(edited)
                    self._finish(FileOutcome(label, Status.SKIPPED, output=str(outputs[0]), sha256=digest))
                    return None
            doc = read_document(src, data)
            if self.options.keep and not self.options.keep(doc):
                return None
            if edited:
                # Not recorded: a failed line would hide the old one, and the edit with it.
                error = (
                    f"{', '.join(map(str, edited))}: edited by hand since nlbrief wrote it; "
                    "rename it to keep it, or pass --force to replace it"
                )
                self._finish(FileOutcome(label, Status.FAILED, error=error, sha256=digest), record=False)
                return None
            self.stage.check(doc)
        except InputError as err:
            self._finish(FileOutcome(label, Status.FAILED, error=str(err), reason=err.reason))
            return None
        return _Pending(src, outputs, doc)

    def _stopping(self) -> bool:
        """Whether Ctrl-C asked this run to stop; once it has, the run stays stopping."""
        self._interrupted = self._interrupted or stop_requested()
        return self._interrupted

    def _read(self, src: SourceFile) -> bytes:
        return read_input(src, self.options.max_file_size, self.read_stdin)

    def _waves(
        self,
        files: list[SourceFile],
        outputs: dict[SourceFile, list[Path] | OutputError],
        previous: dict[str, dict[str, Any]],
    ) -> Iterator[list[_Pending]]:
        """The inputs not up to date, read and checked, in waves of about ``wave_chars`` characters; the
        rest get their outcome here (skipped, failed, or not done once a Ctrl-C came)."""
        wave: list[_Pending] = []
        wave_chars = 0
        for src in files:
            if self._stopping():
                self._finish(FileOutcome(_label(src), Status.NOT_DONE))
                continue
            planned = outputs[src]
            if isinstance(planned, OutputError):
                self._finish(FileOutcome(_label(src), Status.FAILED, error=f"{_label(src)}: {planned}"))
                continue
            pending = self._prepare(src, planned, previous)
            if pending is None:
                continue
            wave.append(pending)
            wave_chars += sum(len(p.text) for p in pending.doc.units())
            if wave_chars >= self.options.wave_chars:
                yield wave
                wave, wave_chars = [], 0
        if wave:
            yield wave

    def _run_waves(self, waves: Iterator[list[_Pending]]) -> None:
        """Every wave through the engine, each document stored as it comes back; then whatever was not
        (a Ctrl-C, a model error) is recorded as not done or failed."""
        handed: list[list[_Pending]] = []
        began: list[float] = []
        stored: set[tuple[int, int]] = set()

        def docs() -> Iterator[list[Document]]:
            for wave in waves:
                handed.append(wave)
                began.append(time.perf_counter())
                if self._stopping() or self._model_error:
                    return
                yield [item.doc for item in wave]

        for number, index, result in self._finished(docs()):
            self._store(handed[number][index], result, round(time.perf_counter() - began[number], 3))
            stored.add((number, index))
        handed.extend(waves)  # what the engine never asked for: read, so that each input is accounted for
        for number, wave in enumerate(handed):
            for index, item in enumerate(wave):
                if (number, index) in stored:
                    continue
                status = Status.NOT_DONE if self._interrupted else Status.FAILED
                error = None if self._interrupted else self._model_error
                self._finish(FileOutcome(item.doc.source_path, status, error=error, sha256=item.doc.sha256))

    def _finished(self, waves: Iterator[list[Document]]) -> Iterator[Finished]:
        """The engine's documents as each is finished; a Ctrl-C or a model error ends them and is kept.

        Only the stage's own errors are caught here: one from saving (a full disk) is not a model's.
        A UsageError is not kept: like one found before the run, it ends the command (exit 2).
        """
        engine = self.engine.run(self.stage, waves, self.reporter.segments, self.reporter.summarized)
        try:
            yield from engine
        except Interrupted:
            self._interrupted = True
        except UsageError:
            raise  # the options, not the documents: no file failed, and the run cannot go on
        except NlbriefError as err:
            self._model_error = str(err)
        finally:
            engine.close()  # a run that stops early lets the engine put its workers away

    def _store(self, item: _Pending, result: StageOutput, wave_s: float) -> None:
        label = item.doc.source_path
        if result.error is not None:  # the stage could not make this one: nothing to write
            self._finish(
                FileOutcome(
                    label, Status.FAILED, error=result.error, reason=result.reason, sha256=item.doc.sha256
                )
            )
            return
        try:
            if self.options.to_stdout:
                self.emit(result.texts[self.stage.suffixes.index(self.stage.stdout_suffix)])
            else:
                for path, text in zip(item.outputs, result.texts, strict=True):
                    atomic_write_text(path, text)
        except NlbriefError as err:
            self._finish(FileOutcome(label, Status.FAILED, error=str(err), sha256=item.doc.sha256))
            return
        hashes = {
            str(p): sha256_bytes(t.encode("utf-8")) for p, t in zip(item.outputs, result.texts, strict=True)
        }
        warnings, counts = bound_warnings(result.warnings)  # the outputs keep them all
        outcome = FileOutcome(
            label,
            Status.OK,
            output="-" if self.options.to_stdout else str(item.outputs[0]),
            sha256=item.doc.sha256,
            warnings=warnings,
            timings={**result.timings, "wave_s": wave_s},
            stats=result.stats,
            warning_counts=counts,
        )
        self._finish(outcome, hashes)

    def _finish(
        self, outcome: FileOutcome, output_hashes: dict[str, str] | None = None, *, record: bool = True
    ) -> None:
        self.outcomes.append(outcome)
        # A skipped input keeps the line that made its output; an unstarted one has nothing to say.
        if record and not self.options.to_stdout and outcome.status in (Status.OK, Status.FAILED):
            self.manifest.append(
                {
                    **outcome.__dict__,
                    "source": _source_key(outcome.input),
                    "outputs": output_hashes or {},
                    "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                    "fingerprint": self._fingerprint,
                    "command": self.stage.command,
                    "nlbrief": __version__,
                    **self.stage.provenance(),
                }
            )
        self.reporter.file_done(outcome)


def _label(src: SourceFile) -> str:
    return "-" if src.path is None else str(src.path)


def _source_key(label: str) -> str:
    """The input as an absolute path, so its manifest line is found whatever folder a run starts in."""
    return label if label == "-" else os.path.abspath(label)
