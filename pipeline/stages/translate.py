"""``nlbrief translate`` as a stage of a batch run: the translator, found and loaded lazily."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.checks.glossary import Glossary
from pipeline.checks.warm import start_building
from pipeline.ingest.document import Document
from pipeline.models.locate import DEFAULT_TRANSLATOR, ModelHandle
from pipeline.run.contracts import Progress, StageOutput
from pipeline.run.engine import Step
from pipeline.run.manifest import OUTPUT_SCHEMA, fingerprint
from pipeline.stages.lazy import LazyModel
from pipeline.translate.backends.contract import (
    BackendFactory,
    BackendOptions,
    TranslationBackend,
    Work,
    batch_sentences,
    generate_each,
)
from pipeline.translate.backends.registry import backend_factory as registered_backend
from pipeline.translate.backends.registry import backend_fingerprint, check_backend_options, resolve_backend
from pipeline.translate.formats import renderer
from pipeline.translate.memory import MemoryAdapter, TranslationMemory
from pipeline.translate.plan import DocumentPlan, check_language, plan_document
from pipeline.translate.translator import SentenceMemory, TranslateSettings, Translator


@dataclass
class TranslatorConfig:
    model: str = DEFAULT_TRANSLATOR
    backend: str = "torch"
    settings: TranslateSettings = field(default_factory=TranslateSettings)
    device: str = "auto"
    threads: int | None = None
    allow_pickle: bool = False
    compute_type: str = "auto"  # ctranslate2 only
    dtype: str = "auto"  # torch only: --dtype
    memory_path: Path | None = None  # the translation memory database; None: no memory
    glossary: Glossary | None = None  # --glossary: terms whose renderings are checked


def segmented(docs: list[Document]) -> list[DocumentPlan]:
    """A wave's documents split into sentences, English passed through: no model needed."""
    return [plan_document(doc) for doc in docs]


def no_progress(done: int, total: int) -> None:
    """Progress nobody follows: a step on a cluster's worker."""


@dataclass(frozen=True)
class MemoryHome:
    """Where a translator's memory lives: the database file, and the fields naming its namespace."""

    path: Path
    fields: dict[str, Any]

    def open(self) -> MemoryAdapter:
        return MemoryAdapter(TranslationMemory(self.path), self.fields)


class LazyTranslator:
    """Finds the model without loading it (for resume checks), loads it on first real use: the first
    sentence the translation memory does not know, so a run the memory answers loads no model."""

    def __init__(self, config: TranslatorConfig, backend_factory: BackendFactory | None = None) -> None:
        self.config = config
        # Resolved now so that a wrong --backend fails before any file is read.
        self.backend_factory = backend_factory or registered_backend(config.backend)
        self.backend_name = resolve_backend(config.backend)  # `auto` named: what runs enters the records
        self.model = ModelHandle(config.model, "--translator-model")
        self._backend = LazyModel(self.model, lambda source: self.backend_factory(source, self._options()))
        self._translator: Translator | None = None
        self._shared_memory: SentenceMemory | None = None

    @property
    def loaded(self) -> bool:
        return self._backend.loaded

    @property
    def load_s(self) -> float:
        return self._backend.load_s

    def fingerprint_fields(self) -> dict[str, Any]:
        name, revision = self.model.identity()
        return {
            "translator": name,
            "translator_revision": revision,
            "backend": self.backend_name,
            **backend_fingerprint(self.backend_factory, self._options()),  # e.g. the resolved compute type
            **self.config.settings.fingerprint_fields(),
        }

    def check_fields(self) -> dict[str, Any]:
        """What changes the checks of an output but not its words: the glossary. Kept out of
        ``fingerprint_fields`` (and so out of the translation memory's namespace), since the memory
        stays valid whatever the glossary."""
        glossary = self.config.glossary
        return {"glossary": glossary.digest() if glossary else None}

    def provenance(self) -> dict[str, Any]:
        settings = self.config.settings
        return {
            **self.model.provenance("model"),
            "backend": self.backend_name,
            "settings": {
                **settings.fingerprint_fields(),
                **backend_fingerprint(self.backend_factory, self._options()),  # e.g. the dtype it runs in
                "batch_tokens": settings.batch_tokens,
            },
            # the translator and its settings in one value, whatever the output format
            "translation_fingerprint": fingerprint(self.fingerprint_fields()),
        }

    def _options(self) -> BackendOptions:
        return BackendOptions(
            beams=self.config.settings.beams,
            device=self.config.device,
            threads=self.config.threads,
            allow_pickle=self.config.allow_pickle,
            compute_type=self.config.compute_type,
            dtype=self.config.dtype,
        )

    def check_options(self) -> None:
        """--device, --compute-type and the like, as a UsageError before any work."""
        check_backend_options(self.backend_factory, self._options())

    def require_model(self) -> None:
        """The model on disk (or downloaded now), before any work; loads nothing."""
        self._backend.require()

    def get(self) -> Translator:
        """The translator with its memory; its backend is loaded when it is first asked to encode."""
        if self._translator is None:
            backend = BackendOnFirstUse(self._backend)
            self._translator = Translator(backend, self.config.settings, self._memory(), self.config.glossary)
        return self._translator

    def memory_home(self) -> MemoryHome | None:
        """The translation memory's file and namespace fields; None: this run has no memory."""
        if self.config.memory_path is None:
            return None
        return MemoryHome(self.config.memory_path, {**self.fingerprint_fields(), "schema": OUTPUT_SCHEMA})

    def share_memory(self, memory: SentenceMemory) -> None:
        """Use ``memory`` instead of opening the file: a cluster's workers share the one the driver keeps."""
        self._shared_memory = memory

    def _memory(self) -> SentenceMemory | None:
        """Sentences translated before with the same model and settings are looked up, not redone."""
        if self._shared_memory is not None:
            return self._shared_memory
        home = self.memory_home()
        return None if home is None else home.open()


class BackendOnFirstUse:
    """A TranslationBackend that loads the real one when it is first asked anything.

    The Translator asks the memory before it encodes, so a run whose sentences are all remembered (or
    passed through as English) never asks, and never loads the model. Reporting a remembered
    sentence that was translated in parts asks for the model's limit, and so loads it."""

    def __init__(self, backend: LazyModel[TranslationBackend]) -> None:
        self._backend = backend

    @property
    def name(self) -> str:
        return self._backend.get().name

    @name.setter  # TranslationBackend declares plain attributes, which a read-only property does not match
    def name(self, value: str) -> None:
        self._backend.get().name = value

    @property
    def max_input_tokens(self) -> int:
        return self._backend.get().max_input_tokens

    @max_input_tokens.setter
    def max_input_tokens(self, value: int) -> None:
        self._backend.get().max_input_tokens = value

    @property
    def unknown_id(self) -> int | None:
        return self._backend.get().unknown_id

    @unknown_id.setter
    def unknown_id(self, value: int | None) -> None:
        self._backend.get().unknown_id = value

    @property
    def batch_sentences(self) -> int | None:
        return batch_sentences(self._backend.get())

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        return self._backend.get().encode(texts)

    def generate(
        self, batch: Sequence[Sequence[int]], max_new_tokens: int, beams: int | None = None
    ) -> list[list[int]]:
        return self._backend.get().generate(batch, max_new_tokens, beams)

    def generate_many(self, work: Sequence[Work], beams: int | None = None) -> Iterator[list[list[int]]]:
        return generate_each(self._backend.get(), work, beams)

    def decode(self, outputs: Sequence[Sequence[int]]) -> list[str]:
        return self._backend.get().decode(outputs)


class TranslateStage:
    command = "translate"

    def __init__(self, translator: LazyTranslator, fmt: str = "txt") -> None:
        self.translator = translator
        self.fmt = fmt
        suffix, self.render = renderer(fmt)  # an unknown format fails before any work
        self.suffixes: tuple[str, ...] = (suffix,)
        self.stdout_suffix = suffix

    @property
    def model_loaded(self) -> bool:
        return self.translator.loaded

    def validate(self) -> None:
        self.translator.check_options()
        self.translator.require_model()

    def fingerprint_fields(self) -> dict[str, Any]:
        return {**self.translator.fingerprint_fields(), **self.translator.check_fields(), "format": self.fmt}

    def provenance(self) -> dict[str, Any]:
        return {**self.translator.provenance(), "format": self.fmt}

    def check(self, doc: Document) -> None:
        if self.translator.config.settings.language_check:
            check_language(doc)

    def steps(self) -> tuple[Step, ...]:
        """The wave's work in one part, with the translator (the ray engine's actor pool)."""
        return (
            Step("segment", segmented, model=False),
            Step("translate", lambda plans: self._outputs(plans, no_progress)),
        )

    def memory_home(self) -> MemoryHome | None:
        return self.translator.memory_home()

    def share_memory(self, memory: SentenceMemory) -> None:
        self.translator.share_memory(memory)

    def run_wave(
        self, docs: list[Document], progress: Progress, summarized: Progress
    ) -> list[tuple[int, StageOutput]]:
        return self._outputs(segmented(docs), progress)

    def _outputs(self, plans: list[DocumentPlan], progress: Progress) -> list[tuple[int, StageOutput]]:
        # Sentences of all documents share batches: every document is finished at the same moment.
        begin = time.perf_counter()
        start_building()  # the checks' tables, while the model loads
        translator = self.translator.get()
        before = translator.check_s, translator.retry_s
        results = translator.translate_plans(plans, progress)
        check_s, retry_s = translator.check_s - before[0], translator.retry_s - before[1]
        elapsed = time.perf_counter() - begin - check_s - retry_s  # translating alone, as process says it
        total_tokens = sum(r.stats()["source_tokens"] for r in results) or 1
        outputs = []
        for result in results:
            stats = result.stats()
            provenance = {"input": result.document.source_path, **self.provenance()}
            share = stats["source_tokens"] / total_tokens
            timings = {
                "translate_s": round(elapsed * share, 3),
                "check_s": round(check_s * share, 4),
                "retry_s": round(retry_s * share, 4),
                "model_load_s": round(self.translator.load_s, 3),
            }
            outputs.append(StageOutput([self.render(result, provenance)], result.warnings, stats, timings))
        return list(enumerate(outputs))
