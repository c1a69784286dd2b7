"""``nlbrief translate`` as a stage of a batch run: the translator, found and loaded lazily."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.backends import BackendOptions, TranslationBackend
from pipeline.backends import backend_factory as registered_backend
from pipeline.document import Document
from pipeline.errors import ModelError
from pipeline.models import DEFAULT_TRANSLATOR, ModelSource, locate_model
from pipeline.render import renderer
from pipeline.runner import BatchRun, Progress, Reporter, RunOptions, RunSummary, StageOutput
from pipeline.store import fingerprint
from pipeline.translate import TranslatedDocument, TranslateSettings, Translator, check_language

BackendFactory = Callable[[ModelSource, BackendOptions], TranslationBackend]


@dataclass
class TranslatorConfig:
    model: str = DEFAULT_TRANSLATOR
    backend: str = "torch"
    settings: TranslateSettings = field(default_factory=TranslateSettings)
    device: str = "auto"
    threads: int | None = None
    allow_pickle: bool = False


class LazyTranslator:
    """Finds the model without loading it (for resume checks), loads it on first real use."""

    def __init__(self, config: TranslatorConfig, backend_factory: BackendFactory | None = None) -> None:
        self.config = config
        # Resolved now so that a wrong --backend fails before any file is read.
        self.backend_factory = backend_factory or registered_backend(config.backend)
        self._source: ModelSource | None = None
        self._located = False
        self._translator: Translator | None = None
        self.load_s = 0.0

    @property
    def loaded(self) -> bool:
        return self._translator is not None

    def source(self) -> ModelSource | None:
        """The model on disk, or None when it would first have to be downloaded."""
        if not self._located:
            self._located = True
            try:
                self._source = locate_model(self.config.model, download=False)
            except ModelError:
                self._source = None
        return self._source

    def fingerprint_fields(self) -> dict[str, Any]:
        source = self.source()
        return {
            "translator": str(source.path)
            if source and source.origin == "local folder"
            else self.config.model,
            "translator_revision": source.revision if source else None,
            "backend": self.config.backend,
            **self.config.settings.fingerprint_fields(),
        }

    def provenance(self) -> dict[str, Any]:
        source = self._source
        settings = self.config.settings
        return {
            "model": self.config.model,
            "model_path": str(source.path) if source else None,
            "model_revision": source.revision if source else None,
            "backend": self.config.backend,
            "settings": {**settings.fingerprint_fields(), "batch_tokens": settings.batch_tokens},
            # lets `nlbrief process` find and reuse this translation whatever the output format
            "translation_fingerprint": fingerprint(self.fingerprint_fields()),
        }

    def get(self) -> Translator:
        if self._translator is None:
            begin = time.perf_counter()
            self._source = self.source() or locate_model(self.config.model, download=True)
            options = BackendOptions(
                beams=self.config.settings.beams,
                device=self.config.device,
                threads=self.config.threads,
                allow_pickle=self.config.allow_pickle,
            )
            self._translator = Translator(self.backend_factory(self._source, options), self.config.settings)
            self.load_s = time.perf_counter() - begin
        return self._translator

    def translate(self, docs: list[Document], progress: Progress | None = None) -> list[TranslatedDocument]:
        return self.get().translate_documents(docs, progress)


class TranslateStage:
    def __init__(self, translator: LazyTranslator, fmt: str = "txt") -> None:
        self.translator = translator
        self.fmt = fmt
        suffix, self.render = renderer(fmt)  # an unknown format fails before any work
        self.suffixes = (suffix,)

    @property
    def model_loaded(self) -> bool:
        return self.translator.loaded

    def fingerprint_fields(self) -> dict[str, Any]:
        return {**self.translator.fingerprint_fields(), "format": self.fmt}

    def provenance(self) -> dict[str, Any]:
        return {**self.translator.provenance(), "format": self.fmt}

    def check(self, doc: Document) -> None:
        if self.translator.config.settings.language_check:
            check_language(doc)

    def run_wave(self, docs: list[Document], progress: Progress) -> list[StageOutput]:
        begin = time.perf_counter()
        results = self.translator.translate(docs, progress)
        elapsed = time.perf_counter() - begin
        total_tokens = sum(r.stats()["source_tokens"] for r in results) or 1
        outputs = []
        for result in results:
            stats = result.stats()
            provenance = {"input": result.document.source_path, **self.provenance()}
            timings = {
                "translate_s": round(elapsed * stats["source_tokens"] / total_tokens, 3),
                "model_load_s": round(self.translator.load_s, 3),
            }
            outputs.append(StageOutput([self.render(result, provenance)], result.warnings, stats, timings))
        return outputs


@dataclass
class TranslateJob:
    """Everything ``nlbrief translate`` was asked to do."""

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
    to_stdout: bool = False
    wave_chars: int = 40_000


class TranslateRun:
    """One ``nlbrief translate`` invocation; ``backend_factory`` lets tests swap the engine."""

    def __init__(
        self,
        job: TranslateJob,
        reporter: Reporter,
        backend_factory: BackendFactory | None = None,
        read_stdin: Callable[[], bytes] = lambda: sys.stdin.buffer.read(),
        emit: Callable[[str], None] = lambda text: sys.stdout.write(text),
    ) -> None:
        config = TranslatorConfig(
            job.model, job.backend, job.settings, job.device, job.threads, job.allow_pickle
        )
        stage = TranslateStage(LazyTranslator(config, backend_factory), job.fmt)
        options = RunOptions(
            job.inputs, job.out_dir, job.include, job.exclude, job.force, job.to_stdout, job.wave_chars
        )
        self.batch = BatchRun(options, stage, reporter, read_stdin, emit)

    def run(self) -> RunSummary:
        return self.batch.run()
