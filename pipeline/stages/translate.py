"""``nlbrief translate`` as a stage of a batch run: the translator, found and loaded lazily."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.ingest.document import Document
from pipeline.models.locate import DEFAULT_TRANSLATOR, ModelHandle
from pipeline.run.batch import OUTPUT_SCHEMA
from pipeline.run.contracts import Progress, StageOutput
from pipeline.run.store import fingerprint
from pipeline.translate.backends.contract import BackendFactory, BackendOptions
from pipeline.translate.backends.registry import backend_factory as registered_backend
from pipeline.translate.backends.registry import backend_fingerprint, check_backend_options
from pipeline.translate.formats import renderer
from pipeline.translate.memory import MemoryAdapter, TranslationMemory
from pipeline.translate.translator import TranslatedDocument, TranslateSettings, Translator, check_language


@dataclass
class TranslatorConfig:
    model: str = DEFAULT_TRANSLATOR
    backend: str = "torch"
    settings: TranslateSettings = field(default_factory=TranslateSettings)
    device: str = "auto"
    threads: int | None = None
    allow_pickle: bool = False
    compute_type: str = "auto"  # ctranslate2 only
    memory_path: Path | None = None  # the translation memory database; None: no memory


class LazyTranslator:
    """Finds the model without loading it (for resume checks), loads it on first real use."""

    def __init__(self, config: TranslatorConfig, backend_factory: BackendFactory | None = None) -> None:
        self.config = config
        # Resolved now so that a wrong --backend fails before any file is read.
        self.backend_factory = backend_factory or registered_backend(config.backend)
        self.model = ModelHandle(config.model, "--translator-model")
        self._translator: Translator | None = None
        self.load_s = 0.0

    @property
    def loaded(self) -> bool:
        return self._translator is not None

    def fingerprint_fields(self) -> dict[str, Any]:
        name, revision = self.model.identity()
        return {
            "translator": name,
            "translator_revision": revision,
            "backend": self.config.backend,
            **backend_fingerprint(self.backend_factory, self._options()),  # e.g. the resolved compute type
            **self.config.settings.fingerprint_fields(),
        }

    def provenance(self) -> dict[str, Any]:
        settings = self.config.settings
        return {
            **self.model.provenance("model"),
            "backend": self.config.backend,
            "settings": {**settings.fingerprint_fields(), "batch_tokens": settings.batch_tokens},
            # lets `nlbrief process` find and reuse this translation whatever the output format
            "translation_fingerprint": fingerprint(self.fingerprint_fields()),
        }

    def _options(self) -> BackendOptions:
        return BackendOptions(
            beams=self.config.settings.beams,
            device=self.config.device,
            threads=self.config.threads,
            allow_pickle=self.config.allow_pickle,
            compute_type=self.config.compute_type,
        )

    def check_options(self) -> None:
        """--device, --compute-type and the like, as a UsageError before any work."""
        check_backend_options(self.backend_factory, self._options())

    def require_model(self) -> None:
        """The model on disk (or downloaded now), before any work; loads nothing."""
        self.model.require()

    def get(self) -> Translator:
        if self._translator is None:
            begin = time.perf_counter()
            source = self.model.fetch()
            backend = self.backend_factory(source, self._options())
            self._translator = Translator(backend, self.config.settings, self._memory())
            self.load_s = time.perf_counter() - begin
        return self._translator

    def _memory(self) -> MemoryAdapter | None:
        """Sentences translated before with the same model and settings are looked up, not redone."""
        if self.config.memory_path is None:
            return None
        fields = {**self.fingerprint_fields(), "schema": OUTPUT_SCHEMA}
        return MemoryAdapter(TranslationMemory(self.config.memory_path), fields)

    def translate(self, docs: list[Document], progress: Progress | None = None) -> list[TranslatedDocument]:
        return self.get().translate_documents(docs, progress)


class TranslateStage:
    command = "translate"

    def __init__(self, translator: LazyTranslator, fmt: str = "txt") -> None:
        self.translator = translator
        self.fmt = fmt
        suffix, self.render = renderer(fmt)  # an unknown format fails before any work
        self.suffixes = (suffix,)
        self.stdout_suffix = suffix

    @property
    def model_loaded(self) -> bool:
        return self.translator.loaded

    def validate(self) -> None:
        self.translator.check_options()
        self.translator.require_model()

    def fingerprint_fields(self) -> dict[str, Any]:
        return {**self.translator.fingerprint_fields(), "format": self.fmt}

    def provenance(self) -> dict[str, Any]:
        return {**self.translator.provenance(), "format": self.fmt}

    def check(self, doc: Document) -> None:
        if self.translator.config.settings.language_check:
            check_language(doc)

    def run_wave(
        self, docs: list[Document], progress: Progress, summarized: Progress
    ) -> list[tuple[int, StageOutput]]:
        # Sentences of all documents share batches: every document is finished at the same moment.
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
        return list(enumerate(outputs))
