"""The composition root: builds the stages the commands run, from the options' values.

The CLI fills one config per command and calls these, so it holds no wiring; they import the stage
modules lazily, so that importing this module (and `nlbrief --help`) stays instant. The configs have
no defaults: the command line's options own them (and show them in --help).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.stages.process import LazySummarizer, ProcessStage, SummarizeStage
    from pipeline.stages.translate import LazyTranslator, TranslateStage


@dataclass(frozen=True, kw_only=True)
class Runtime:
    """Where and how the models run: --device, --threads, --allow-pickle."""

    device: str
    threads: int | None
    allow_pickle: bool


@dataclass(frozen=True, kw_only=True)
class TranslatorChoice:
    """The translator options: --translator-model, --backend, --compute-type, --beams,
    --batch-tokens, --language-check, --cache-dir and --no-cache (the translation memory)."""

    model: str
    backend: str
    compute_type: str
    beams: int
    batch_tokens: int
    language_check: bool
    cache_dir: Path | None
    no_cache: bool


@dataclass(frozen=True, kw_only=True)
class SummarizerChoice:
    """The summarizer options: --summarizer-model, --bullets, --context-tokens, --prompts-dir, --quantize."""

    model: str
    bullets: int
    context_tokens: int | None
    prompts_dir: Path | None
    quantize: str


@dataclass(frozen=True, kw_only=True)
class TranslateConfig:
    """`nlbrief translate`: the translator, and the output format (--format)."""

    translator: TranslatorChoice
    runtime: Runtime
    fmt: str


@dataclass(frozen=True, kw_only=True)
class SummarizeConfig:
    """`nlbrief summarize`: the summarizer alone."""

    summarizer: SummarizerChoice
    runtime: Runtime


@dataclass(frozen=True, kw_only=True)
class ProcessConfig:
    """`nlbrief process` and `brief`: both models, and where earlier translations are reused
    from (--translations; None: outputs/translations)."""

    translator: TranslatorChoice
    summarizer: SummarizerChoice
    runtime: Runtime
    translations: Path | None


def build_translate_stage(config: TranslateConfig) -> TranslateStage:
    """The stage of `nlbrief translate`."""
    from pipeline.stages.translate import TranslateStage

    return TranslateStage(_translator(config.translator, config.runtime), config.fmt)


def build_summarize_stage(config: SummarizeConfig) -> SummarizeStage:
    """The stage of `nlbrief summarize`."""
    from pipeline.stages.process import SummarizeStage

    return SummarizeStage(_summarizer(config.summarizer, config.runtime))


def build_process_stage(config: ProcessConfig) -> ProcessStage:
    """The translate-then-summarize stage that process and brief share."""
    from pipeline.stages.process import ProcessStage

    return ProcessStage(
        _translator(config.translator, config.runtime),
        _summarizer(config.summarizer, config.runtime),
        config.translations or Path("outputs/translations"),
    )


def _translator(choice: TranslatorChoice, runtime: Runtime) -> LazyTranslator:
    from pipeline.stages.translate import LazyTranslator, TranslatorConfig
    from pipeline.translate.translator import TranslateSettings

    settings = TranslateSettings(
        beams=choice.beams, batch_tokens=choice.batch_tokens, language_check=choice.language_check
    )
    return LazyTranslator(
        TranslatorConfig(
            model=choice.model,
            backend=choice.backend,
            settings=settings,
            device=runtime.device,
            threads=runtime.threads,
            allow_pickle=runtime.allow_pickle,
            compute_type=choice.compute_type,
            memory_path=_memory_path(choice.cache_dir, choice.no_cache),
        )
    )


def _summarizer(choice: SummarizerChoice, runtime: Runtime) -> LazySummarizer:
    from pipeline.stages.process import LazySummarizer, SummarizerConfig
    from pipeline.summarize.summarizer import SummarizeSettings

    settings = SummarizeSettings(
        bullets=choice.bullets, context_tokens=choice.context_tokens, prompts_dir=choice.prompts_dir
    )
    return LazySummarizer(
        SummarizerConfig(
            model=choice.model,
            settings=settings,
            device=runtime.device,
            threads=runtime.threads,
            allow_pickle=runtime.allow_pickle,
            quantize=choice.quantize,
        )
    )


def _memory_path(cache_dir: Path | None, no_cache: bool) -> Path | None:
    """The translation memory's file for --cache-dir and --no-cache (None: no memory)."""
    from pipeline.translate.memory import default_memory_path

    if no_cache:
        return None
    default = default_memory_path()
    return default if cache_dir is None else cache_dir / default.name


def segment_input(path: str, max_file_size: int, tsv: bool) -> str:
    """`nlbrief segment`: a file (or stdin, for "-") split into sentences, as the command prints it.
    Read with the batch run's reader, so the same size limit refuses the same inputs."""
    from pipeline.ingest.discover import SourceFile
    from pipeline.ingest.reading import read_input
    from pipeline.ingest.sources import read_document
    from pipeline.translate.formats import format_segments
    from pipeline.translate.translator import document_sentences

    file = Path(path)
    source = SourceFile(None, None, "stdin") if path == "-" else SourceFile(file, file.parent, path)
    doc = read_document(source, read_input(source, max_file_size))
    return format_segments(document_sentences(doc), tsv=tsv)
