"""``nlbrief process`` and ``nlbrief summarize`` as stages of a batch run.

process: Dutch files -> translation -> bullets and headline; summarize: English files -> bullets
and headline. Each model loads once per process, and only when a wave has work for it: sentences
translated before (by any command, with the same translator and settings) come from the
translation memory, and a wave the memory answers whole loads no translator. Each article is handed
back to the run (and saved) as soon as its summary is done, not at the end of its wave.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.checks.summary import check_policy
from pipeline.checks.warm import start_building
from pipeline.errors import InputError
from pipeline.ingest.document import Document
from pipeline.run.contracts import Progress, StageOutput
from pipeline.run.engine import Step
from pipeline.stages.article_md import render_record_md
from pipeline.stages.article_page import render_record_html
from pipeline.stages.records import ArticleRecord, render_record_json
from pipeline.stages.summarizer import LazySummarizer
from pipeline.stages.translate import LazyTranslator, MemoryHome, no_progress, segmented
from pipeline.summarize.summarizer import (
    Article,
    DayOverview,
    Summarizer,
    SummaryResult,
    fact_sentences,
)
from pipeline.summarize.templates import Template, load_template
from pipeline.text.language import detect_language
from pipeline.text.packing import even_groups
from pipeline.translate.plan import DocumentPlan, check_language
from pipeline.translate.results import TranslatedDocument
from pipeline.translate.translator import SentenceMemory


@dataclass(frozen=True)
class TranslatedWave:
    """A wave between its two steps: the translations, and the seconds they took (shared out later)."""

    translations: list[TranslatedDocument]
    translate_s: float
    check_s: float
    retry_s: float
    translator_load_s: float


def article_from_translation(translated: TranslatedDocument) -> Article:
    return Article(
        translated.document.id,
        translated.title.target if translated.title else None,
        [u.target for u in translated.paragraphs],
        fact_sentences(translated.document.paragraphs),  # counted in the source, not the model's output
    )


# What a model raises on an input it cannot take (an id past its embedding, a shape or a size it cannot
# handle): that article fails and the run goes on. nlbrief's own errors (Ctrl-C, a usage or model
# error) are none of these: they end the run as before.
MODEL_FAILURES = (IndexError, RuntimeError, ValueError)


@dataclass(frozen=True)
class SummaryFailed:
    """What ``_summaries`` gives for an article the model raised on, instead of its summary."""

    reason: str

    @classmethod
    def of(cls, err: Exception) -> SummaryFailed:
        said = (str(err).splitlines() or [""])[0][:200]
        name = type(err).__name__
        return cls(f"the summarizer failed on this article ({name}{': ' if said else ''}{said})")

    def output(self, doc: Document) -> StageOutput:
        fix = "the other articles were summarized; rerun to try it again, or pass another --summarizer-model"
        return StageOutput.failure(InputError(doc.source_path, self.reason, fix))


def _summaries(
    summarizer: LazySummarizer, articles: list[Article], summarized: Progress
) -> Iterator[tuple[int, SummaryResult | SummaryFailed, float]]:
    """(index, summary or failure, its share of its group's seconds) per article, a group at a time, so
    that each is saved before the next group is summarized (a Ctrl-C or a kill loses only the group in
    hand); the groups are of articles of similar length, the longest first."""
    summarized(0, len(articles))
    if not articles:
        return
    model = summarizer.get()  # first: a missing model is the error to report, before any other
    # Articles of similar length share a batch: padding to the longest prompt of a group costs the rest.
    order = sorted(range(len(articles)), key=lambda i: -len(articles[i].text))
    done = 0
    for indices in even_groups(order, summarizer.group_size):
        group = [articles[i] for i in indices]
        begin = time.perf_counter()
        results: list[SummaryResult | SummaryFailed]
        try:
            results = list(model.summarize(group))
        except MODEL_FAILURES as err:
            # Which article of a group made the model fail is not known: each is tried alone.
            results = [SummaryFailed.of(err)] if len(group) == 1 else [_alone(model, a) for a in group]
        share = (time.perf_counter() - begin) / len(group)  # each article's share of its group's time
        for index, result in zip(indices, results, strict=True):
            yield index, result, share
        done += len(results)
        summarized(done, len(articles))


def _alone(model: Summarizer, article: Article) -> SummaryResult | SummaryFailed:
    try:
        return model.summarize([article])[0]
    except MODEL_FAILURES as err:
        return SummaryFailed.of(err)


class _RecordStage:
    # A new suffix changes the outputs a manifest line must list, so older outputs are redone once.
    suffixes: tuple[str, ...] = (".json", ".md", ".html")
    stdout_suffix = ".md"  # a pipe gets the article page; the JSON record is for tools that read files
    unsupported = "flag"  # --unsupported: what becomes of a bullet with a fact the article lacks

    def _checked(
        self, doc: Document, translation: TranslatedDocument | None, summary: SummaryResult
    ) -> tuple[ArticleRecord, float]:
        """The record with the summary's checks, and the seconds they took."""
        begin = time.perf_counter()
        record = ArticleRecord.checked(doc, translation, summary, self.unsupported)
        return record, time.perf_counter() - begin

    def provenance(self) -> dict[str, Any]:
        raise NotImplementedError

    def _output(self, record: ArticleRecord, timings: dict[str, float]) -> StageOutput:
        provenance = {**self.provenance(), "made_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        record_provenance = {**provenance, "timings": timings}
        texts = [
            render_record_json(record, record_provenance),
            render_record_md(record, record_provenance),
            render_record_html(record, record_provenance),
        ]
        stats = {
            "bullets": len(record.summary.bullets),
            "chunks": record.summary.chunks,
            **record.check_stats(),
        }
        return StageOutput(texts, record.warnings(), stats, timings)


class ProcessStage(_RecordStage):
    """Dutch in; translation, bullets and headline out."""

    command = "process"  # `nlbrief brief` writes its article records with it too

    def __init__(
        self, translator: LazyTranslator, summarizer: LazySummarizer, unsupported: str = "flag"
    ) -> None:
        self.translator = translator
        self.summarizer = summarizer
        self.unsupported = check_policy(unsupported)

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
            **self.translator.check_fields(),
            "unsupported": self.unsupported,
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
        yield from self._summarized(self._translated(segmented(docs), progress), summarized)

    def steps(self) -> tuple[Step, ...]:
        """The wave's work in two parts, each with its own model (the ray engine's actor pools)."""
        return (
            Step("segment", segmented, model=False),
            Step("translate", self._translated),
            Step("summarize", lambda wave: list(self._summarized(wave))),
        )

    def _translated(self, plans: list[DocumentPlan], progress: Progress = no_progress) -> TranslatedWave:
        begin = time.perf_counter()
        start_building()  # the checks' tables, while the models load
        translator = self.translator.get()
        before = translator.check_s, translator.retry_s
        translations = translator.translate_plans(plans, progress)
        check_s, retry_s = translator.check_s - before[0], translator.retry_s - before[1]
        translate_s = time.perf_counter() - begin - check_s - retry_s
        return TranslatedWave(
            translations, translate_s=translate_s, check_s=check_s, retry_s=retry_s,
            translator_load_s=self.translator.load_s,
        )  # fmt: skip

    def _summarized(
        self, wave: TranslatedWave, summarized: Progress = no_progress
    ) -> Iterator[tuple[int, StageOutput]]:
        translations = wave.translations
        docs = [t.document for t in translations]
        # The wave's time (its sentences share batches), shared out by the articles' source tokens, so that
        # an article's timings are its own and a run's add up: translating, checking, trying again.
        tokens = [t.stats()["source_tokens"] for t in translations]
        shares = [n / sum(tokens) if sum(tokens) else 1 / len(docs) for n in tokens]
        articles = [article_from_translation(t) for t in translations]
        for i, summary, summarize_s in _summaries(self.summarizer, articles, summarized):
            if isinstance(summary, SummaryFailed):
                yield i, summary.output(docs[i])
                continue
            record, summary_check_s = self._checked(docs[i], translations[i], summary)
            timings = {
                "translate_s": round(wave.translate_s * shares[i], 3),
                "summarize_s": round(summarize_s, 3),
                "check_s": round(wave.check_s * shares[i] + summary_check_s, 4),
                "retry_s": round(wave.retry_s * shares[i], 4),
                "translator_load_s": round(wave.translator_load_s, 3),
                "summarizer_load_s": round(self.summarizer.load_s, 3),
                "articles_in_wave": len(docs),
            }
            yield i, self._output(record, timings)

    def memory_home(self) -> MemoryHome | None:
        return self.translator.memory_home()

    def share_memory(self, memory: SentenceMemory) -> None:
        self.translator.share_memory(memory)

    # What `nlbrief brief` asks of the stage besides its records (pipeline.stages.brief.BriefingStage).

    def summarizer_fields(self) -> dict[str, Any]:
        return self.summarizer.fingerprint_fields()

    def model_names(self) -> dict[str, str | None]:
        return {"translator": self.translator.config.model, "summarizer": self.summarizer.config.model}

    def overview_template(self) -> Template:
        return load_template("overview", self.summarizer.config.settings.prompts_dir)

    def write_overview(
        self, template: Template, period: str, stories: Sequence[tuple[str, list[str]]]
    ) -> tuple[str, list[str]]:
        return DayOverview(self.summarizer.get(), template).write(period, stories)


class SummarizeStage(_RecordStage):
    """English in; bullets and headline out."""

    command = "summarize"

    def __init__(self, summarizer: LazySummarizer, unsupported: str = "flag") -> None:
        self.summarizer = summarizer
        self.unsupported = check_policy(unsupported)

    @property
    def model_loaded(self) -> bool:
        return self.summarizer.loaded

    def validate(self) -> None:
        self.summarizer.check_options()
        self.summarizer.require_model()

    def fingerprint_fields(self) -> dict[str, Any]:
        return {**self.summarizer.fingerprint_fields(), "unsupported": self.unsupported, "stage": "summarize"}

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
            if isinstance(summary, SummaryFailed):
                yield i, summary.output(docs[i])
                continue
            record, check_s = self._checked(docs[i], None, summary)
            timings = {
                "summarize_s": round(summarize_s, 3),
                "check_s": round(check_s, 4),
                "summarizer_load_s": round(self.summarizer.load_s, 3),
            }
            yield i, self._output(record, timings)
