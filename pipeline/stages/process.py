"""``nlbrief process`` and ``nlbrief summarize`` as stages of a batch run.

process: Dutch files -> translation (reused from ``nlbrief translate`` when it is up to date)
-> bullets and headline; summarize: English files -> bullets and headline. Each model loads
once per process, and only when a wave has work for it. Each article is handed back to the run
(and saved) as soon as its summary is done, not at the end of its wave.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.ingest.dates import is_file_date_warning
from pipeline.ingest.document import Document
from pipeline.models.locate import DEFAULT_SUMMARIZER, ModelHandle, ModelSource
from pipeline.run.contracts import Progress, StageOutput
from pipeline.run.store import Manifest, fingerprint, is_up_to_date
from pipeline.stages.article_page import render_record_html
from pipeline.stages.records import ArticleRecord, render_record_json, render_record_md
from pipeline.stages.translate import LazyTranslator
from pipeline.summarize.generators import (
    GeneratorOptions,
    TextGenerator,
    check_generator_options,
    create_generator,
)
from pipeline.summarize.summarizer import (
    Article,
    Summarizer,
    SummarizeSettings,
    SummaryResult,
    fact_sentences,
    load_templates,
    templates_digest,
)
from pipeline.text.language import detect_language
from pipeline.translate.formats import parse_txt_translation
from pipeline.translate.translator import (
    SentenceResult,
    TranslatedDocument,
    TranslatedUnit,
    check_language,
    passthrough_plan,
)

GeneratorFactory = Callable[[ModelSource, GeneratorOptions], TextGenerator]


@dataclass
class SummarizerConfig:
    model: str = DEFAULT_SUMMARIZER
    settings: SummarizeSettings = field(default_factory=SummarizeSettings)
    device: str = "auto"
    threads: int | None = None
    allow_pickle: bool = False
    quantize: str = "none"


class LazySummarizer:
    """Like LazyTranslator: located early for resume checks, loaded on first real use."""

    def __init__(self, config: SummarizerConfig, generator_factory: GeneratorFactory | None = None) -> None:
        self.config = config
        self.generator_factory = generator_factory or create_generator
        self.templates = load_templates(config.settings.prompts_dir)  # a broken prompt fails up front
        self.model = ModelHandle(config.model, "--summarizer-model")
        self._summarizer: Summarizer | None = None
        self.load_s = 0.0

    @property
    def loaded(self) -> bool:
        return self._summarizer is not None

    def _settings(self) -> dict[str, Any]:
        settings = self.config.settings
        return {
            "bullets": settings.bullets,
            "context_tokens": settings.context_tokens,
            "prompts": templates_digest(self.templates),
        }

    def fingerprint_fields(self) -> dict[str, Any]:
        name, revision = self.model.identity()
        return {
            "summarizer": name,
            "summarizer_revision": revision,
            "quantize": self.config.quantize,
            **self._settings(),
        }

    def provenance(self) -> dict[str, Any]:
        return {
            **self.model.provenance("summarizer_model"),
            "summarizer_settings": {**self._settings(), "decoding": "greedy"},
        }

    def _options(self) -> GeneratorOptions:
        config = self.config
        return GeneratorOptions(config.device, config.threads, config.allow_pickle, quantize=config.quantize)

    def check_options(self) -> None:
        """--device and --quantize, as a UsageError before any work."""
        check_generator_options(self._options())

    def require_model(self) -> None:
        """The model on disk (or downloaded now), before any work; loads nothing."""
        self.model.require()

    @property
    def group_size(self) -> int:
        """How many articles are summarized together, each group saved before the next begins.

        A GPU runs a full batch in little more than the time of one article; on a CPU batching
        articles gained nothing measurable (README, Speed), so there each is saved once it is done.
        """
        from pipeline.models.runtime import resolve_device

        return self._options().batch_size if resolve_device(self.config.device) == "cuda" else 1

    def get(self) -> Summarizer:
        if self._summarizer is None:
            begin = time.perf_counter()
            source = self.model.fetch()
            generator = self.generator_factory(source, self._options())
            self._summarizer = Summarizer(generator, self.config.settings)
            self.load_s = time.perf_counter() - begin
        return self._summarizer


class TranslationReuse:
    """Finds translations that ``nlbrief translate`` already made of the same bytes with the same
    translator and settings (txt or json outputs still intact), so process does not redo them.

    A reused translation carries what a fresh one would: the passthrough flags (decided from the
    source, as the translator does) and the warnings its manifest line kept (sentence splits, English
    paragraphs), after this reading's own warnings (encoding, metadata, date)."""

    def __init__(self, folder: Path, translation_fingerprint: str) -> None:
        self.wanted = translation_fingerprint
        self.by_sha: dict[str, dict[str, Any]] = {}
        for record in Manifest(folder / "manifest.jsonl").latest_ok().values():
            if record.get("translation_fingerprint") == translation_fingerprint and record.get("sha256"):
                self.by_sha[str(record["sha256"])] = record

    def find(self, doc: Document) -> tuple[TranslatedDocument, str] | None:
        record = self.by_sha.get(doc.sha256)
        if not record or not record.get("output"):
            return None
        output = Path(record["output"])
        if not is_up_to_date(record, sha256=doc.sha256, fingerprint=record["fingerprint"], outputs=[output]):
            return None
        text = output.read_text(encoding="utf-8")
        targets = _json_targets(text) if output.suffix == ".json" else parse_txt_translation(doc, text)
        if targets is None or len(targets) != len(doc.units()):
            return None
        whole_english, english_units = passthrough_plan(doc)
        units = [
            TranslatedUnit(u.kind, u.marker, u.text, t, [SentenceResult(u.text, t, passthrough=e)], e)
            for u, t, e in zip(doc.units(), targets, english_units, strict=True)
        ]
        title = units.pop(0) if doc.title else None
        warnings = _reused_warnings(doc, record)
        return TranslatedDocument(doc, title, units, whole_english, warnings), str(output)


def _reused_warnings(doc: Document, record: dict[str, Any]) -> list[str]:
    """This reading's document warnings, then the translation's own from the manifest line (which
    starts with the document warnings of the reading that made it: the same bytes give the same ones,
    except a file date, which may have changed since)."""
    kept = record.get("warnings")
    made = [str(w) for w in kept] if isinstance(kept, list) else []
    return [*doc.warnings, *(w for w in made if w not in doc.warnings and not is_file_date_warning(w))]


def _json_targets(text: str) -> list[str] | None:
    try:
        record = json.loads(text)
        units = ([record["title_unit"]] if record.get("title_unit") else []) + record["paragraphs"]
        return [str(u["translation"]) for u in units]
    except (ValueError, KeyError, TypeError):
        return None


def article_from_translation(translated: TranslatedDocument) -> Article:
    return Article(
        translated.document.id,
        translated.title.target if translated.title else None,
        [u.target for u in translated.paragraphs],
        fact_sentences(translated.document.paragraphs),  # counted in the source, not the model's output
    )


def _summaries(
    summarizer: LazySummarizer, articles: list[Article], summarized: Progress
) -> Iterator[tuple[int, SummaryResult, float]]:
    """(index, summary, seconds its group took) per article, a group at a time, so that each is
    saved before the next group is summarized (a Ctrl-C or a kill loses only the group in hand)."""
    summarized(0, len(articles))
    if not articles:
        return
    model = summarizer.get()  # first: a missing model is the error to report, before any other
    size = summarizer.group_size
    for start in range(0, len(articles), size):
        begin = time.perf_counter()
        results = model.summarize(articles[start : start + size])
        elapsed = time.perf_counter() - begin
        for offset, result in enumerate(results):
            yield start + offset, result, elapsed
        summarized(start + len(results), len(articles))


class _RecordStage:
    # A new suffix changes the outputs a manifest line must list, so older outputs are redone once.
    suffixes = (".json", ".md", ".html")
    stdout_suffix = ".md"  # a pipe gets the article page; the JSON record is for tools that read files

    def _output(self, record: ArticleRecord, timings: dict[str, float]) -> StageOutput:
        provenance = {**self.provenance(), "made_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        record_provenance = {**provenance, "timings": timings}
        texts = [
            render_record_json(record, record_provenance),
            render_record_md(record, record_provenance),
            render_record_html(record, record_provenance),
        ]
        stats = {"bullets": len(record.summary.bullets), "chunks": record.summary.chunks}
        return StageOutput(texts, record.warnings(), stats, timings)


class ProcessStage(_RecordStage):
    """Dutch in; translation, bullets and headline out."""

    command = "process"  # `nlbrief brief` writes its article records with it too

    def __init__(
        self, translator: LazyTranslator, summarizer: LazySummarizer, translations_dir: Path | None
    ) -> None:
        self.translator = translator
        self.summarizer = summarizer
        self.translations_dir = translations_dir
        self._reuse: TranslationReuse | None = None

    @property
    def model_loaded(self) -> bool:
        return self.translator.loaded or self.summarizer.loaded

    def validate(self) -> None:
        """Both models' options, then both models, before the first wave translates anything."""
        self.translator.check_options()
        self.summarizer.check_options()
        self.translator.require_model()
        self.summarizer.require_model()

    def fingerprint_fields(self) -> dict[str, Any]:
        return {
            **self.translator.fingerprint_fields(),
            **self.summarizer.fingerprint_fields(),
            "stage": "process",
        }

    def provenance(self) -> dict[str, Any]:
        return {**self.translator.provenance(), **self.summarizer.provenance()}

    def check(self, doc: Document) -> None:
        if self.translator.config.settings.language_check:
            check_language(doc)

    def run_wave(
        self, docs: list[Document], progress: Progress, summarized: Progress
    ) -> Iterator[tuple[int, StageOutput]]:
        if self._reuse is None and self.translations_dir is not None:
            wanted = fingerprint(self.translator.fingerprint_fields())
            self._reuse = TranslationReuse(self.translations_dir, wanted)
        found = {i: hit for i, doc in enumerate(docs) if self._reuse and (hit := self._reuse.find(doc))}
        todo = [doc for i, doc in enumerate(docs) if i not in found]
        begin = time.perf_counter()
        fresh = iter(self.translator.translate(todo, progress) if todo else [])
        translate_s = time.perf_counter() - begin
        translations = [found[i][0] if i in found else next(fresh) for i in range(len(docs))]
        articles = [article_from_translation(t) for t in translations]
        for i, summary, summarize_s in _summaries(self.summarizer, articles, summarized):
            record = ArticleRecord(docs[i], translations[i], summary, found[i][1] if i in found else None)
            timings = {
                "translate_s": round(translate_s, 3),
                "summarize_s": round(summarize_s, 3),
                "translator_load_s": round(self.translator.load_s, 3),
                "summarizer_load_s": round(self.summarizer.load_s, 3),
                "articles_in_wave": len(docs),
            }
            yield i, self._output(record, timings)


class SummarizeStage(_RecordStage):
    """English in; bullets and headline out."""

    command = "summarize"

    def __init__(self, summarizer: LazySummarizer) -> None:
        self.summarizer = summarizer

    @property
    def model_loaded(self) -> bool:
        return self.summarizer.loaded

    def validate(self) -> None:
        self.summarizer.check_options()
        self.summarizer.require_model()

    def fingerprint_fields(self) -> dict[str, Any]:
        return {**self.summarizer.fingerprint_fields(), "stage": "summarize"}

    def provenance(self) -> dict[str, Any]:
        return self.summarizer.provenance()

    def check(self, doc: Document) -> None:
        guess = detect_language("\n".join(p.text for p in doc.paragraphs))
        if guess.language == "nl" and guess.confidence >= 0.6:
            raise InputError(
                doc.source_path, "looks like Dutch", "use `nlbrief process` to translate and summarize it"
            )

    def run_wave(
        self, docs: list[Document], progress: Progress, summarized: Progress
    ) -> Iterator[tuple[int, StageOutput]]:
        articles = [
            Article(d.id, d.title, [p.text for p in d.paragraphs], fact_sentences(d.paragraphs)) for d in docs
        ]
        for i, summary, summarize_s in _summaries(self.summarizer, articles, summarized):
            timings = {
                "summarize_s": round(summarize_s, 3),
                "summarizer_load_s": round(self.summarizer.load_s, 3),
            }
            yield i, self._output(ArticleRecord(docs[i], None, summary), timings)
