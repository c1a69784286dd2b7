"""The composition root: builds the stages the commands run, from the options' values.

The CLI calls these, so it holds no wiring; they import the stage modules lazily, so that importing
this module (and `nlbrief --help`) stays instant.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.stages.process import ProcessStage


def build_process_stage(
    translator_model: str,
    backend: str,
    compute_type: str,
    beams: int,
    batch_tokens: int,
    language_check: bool,
    cache_dir: Path | None,
    no_cache: bool,
    summarizer_model: str,
    bullets: int,
    context_tokens: int | None,
    prompts_dir: Path | None,
    quantize: str,
    device: str,
    threads: int | None,
    allow_pickle: bool,
) -> ProcessStage:
    """The translate-then-summarize stage that process and brief share."""
    from pipeline.stages.process import LazySummarizer, ProcessStage, SummarizerConfig
    from pipeline.stages.translate import LazyTranslator, TranslatorConfig
    from pipeline.summarize.summarizer import SummarizeSettings
    from pipeline.translate.translator import TranslateSettings

    settings = TranslateSettings(beams=beams, batch_tokens=batch_tokens, language_check=language_check)
    memory = memory_path(cache_dir, no_cache)
    translator = LazyTranslator(
        TranslatorConfig(
            translator_model, backend, settings, device, threads, allow_pickle, compute_type, memory
        )
    )
    summarize = SummarizeSettings(bullets=bullets, context_tokens=context_tokens, prompts_dir=prompts_dir)
    summarizer = LazySummarizer(
        SummarizerConfig(summarizer_model, summarize, device, threads, allow_pickle, quantize)
    )
    return ProcessStage(translator, summarizer)


def memory_path(cache_dir: Path | None, no_cache: bool) -> Path | None:
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
