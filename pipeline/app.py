"""The composition root: builds the stages the commands run, from the options' values, and runs them.

The CLI hands each command's option values to one function here (translate, process, summarize, brief,
check, fetch, daily, segment_input), which fills that command's config, builds its stage with the build
function of that config, runs it and returns the exit status: the CLI holds no wiring. Bench and tests
build stages with the same build functions. Stage modules are imported lazily, so that importing this
module (and `nlbrief --help`) stays instant. The configs have no defaults: the command line's options own
them (and show them in --help).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import UsageError
from pipeline.run.contracts import DEFAULT_OUTPUT

if TYPE_CHECKING:
    from pipeline.fetch.fetcher import FetchLog, FetchReport, FetchRequest
    from pipeline.fetch.http import FetchPolicy
    from pipeline.run.contracts import Stage
    from pipeline.run.engine import WaveEngine
    from pipeline.run.settings import Setting
    from pipeline.stages.brief import BriefResult
    from pipeline.stages.process import ProcessStage, SummarizeStage
    from pipeline.stages.summarizer import LazySummarizer
    from pipeline.stages.translate import LazyTranslator, TranslateStage

# The values of one command's options, by parameter name (pipeline/cli/options.py declares them).
Options = Mapping[str, Any]


@dataclass(frozen=True, kw_only=True)
class Runtime:
    """Where and how the models run: --device, --dtype, --threads, --allow-pickle (fields named as both
    model configs name them)."""

    device: str
    dtype: str
    threads: int | None
    allow_pickle: bool


@dataclass(frozen=True, kw_only=True)
class TranslatorChoice:
    """The translator options: --translator-model, --backend, --compute-type, --beams,
    --batch-tokens, --language-check, --cache-dir and --no-cache (the translation memory), --glossary."""

    model: str
    backend: str
    compute_type: str
    beams: int
    batch_tokens: int
    language_check: bool
    cache_dir: Path | None
    no_cache: bool
    glossary: Path | None


@dataclass(frozen=True, kw_only=True)
class SummarizerChoice:
    """The summarizer options: --summarizer-model, --bullets, --context-tokens, --prompts-dir, --quantize,
    and --unsupported (what becomes of a bullet the summary checks flag)."""

    model: str
    bullets: int
    context_tokens: int | None
    prompts_dir: Path | None
    quantize: str
    unsupported: str
    batch: int | None


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
    """`nlbrief process` and `brief`: both models."""

    translator: TranslatorChoice
    summarizer: SummarizerChoice
    runtime: Runtime


def build_translate_stage(config: TranslateConfig) -> TranslateStage:
    """The stage of `nlbrief translate`."""
    from pipeline.stages.translate import TranslateStage

    return TranslateStage(_translator(config.translator, config.runtime), config.fmt)


def build_summarize_stage(config: SummarizeConfig) -> SummarizeStage:
    """The stage of `nlbrief summarize`."""
    from pipeline.stages.process import SummarizeStage

    return SummarizeStage(_summarizer(config.summarizer, config.runtime), config.summarizer.unsupported)


def build_process_stage(config: ProcessConfig) -> ProcessStage:
    """The translate-then-summarize stage that process and brief share."""
    from pipeline.stages.process import ProcessStage

    return ProcessStage(
        _translator(config.translator, config.runtime),
        _summarizer(config.summarizer, config.runtime),
        config.summarizer.unsupported,
    )


def _translator(choice: TranslatorChoice, runtime: Runtime) -> LazyTranslator:
    from pipeline.checks.glossary import Glossary
    from pipeline.stages.translate import LazyTranslator, TranslatorConfig
    from pipeline.translate.translator import TranslateSettings

    settings = TranslateSettings(
        beams=choice.beams, batch_tokens=choice.batch_tokens, language_check=choice.language_check
    )
    memory = _memory_path(choice.cache_dir, choice.no_cache)
    return LazyTranslator(
        TranslatorConfig(
            model=choice.model,
            backend=choice.backend,
            settings=settings,
            compute_type=choice.compute_type,
            memory_path=memory,
            glossary=Glossary.load(choice.glossary) if choice.glossary else None,
            **asdict(runtime),
        )  # fmt: skip
    )


def _summarizer(choice: SummarizerChoice, runtime: Runtime) -> LazySummarizer:
    from pipeline.stages.summarizer import LazySummarizer, SummarizerConfig
    from pipeline.summarize.summarizer import SummarizeSettings

    settings = SummarizeSettings(
        bullets=choice.bullets, context_tokens=choice.context_tokens, prompts_dir=choice.prompts_dir
    )
    return LazySummarizer(
        SummarizerConfig(
            model=choice.model,
            settings=settings,
            quantize=choice.quantize,
            batch=choice.batch,
            **asdict(runtime),
        )  # fmt: skip
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
    from pipeline.translate.plan import document_sentences

    file = Path(path)
    source = SourceFile(None, None, "stdin") if path == "-" else SourceFile(file, file.parent, path)
    doc = read_document(source, read_input(source, max_file_size))
    return format_segments(document_sentences(doc), tsv=tsv)


# --- the commands ------------------------------------------------------------------------------------


def translate(options: Options) -> int:
    """`nlbrief translate`: its exit status."""
    config = TranslateConfig(
        translator=_translator_choice(options), runtime=_runtime(options), fmt=options["fmt"]
    )
    stage = build_translate_stage(config)
    return _batch(options, stage, default_out=DEFAULT_OUTPUT["translate"], verb="translated")


def process(options: Options) -> int:
    """`nlbrief process`: its exit status."""
    stage = build_process_stage(_process_config(options))
    return _batch(options, stage, default_out=DEFAULT_OUTPUT["process"], verb="processed")


def summarize(options: Options) -> int:
    """`nlbrief summarize`: its exit status."""
    config = SummarizeConfig(summarizer=_summarizer_choice(options), runtime=_runtime(options))
    return _batch(
        options, build_summarize_stage(config), default_out=DEFAULT_OUTPUT["summarize"], verb="summarized"
    )


def brief(options: Options) -> int:
    """`nlbrief brief`: writes the briefing, prints what the options ask for, returns the exit status."""
    from pipeline.run.contracts import parse_size
    from pipeline.run.interrupt import stop_on_sigint
    from pipeline.run.progress import ConsoleReporter
    from pipeline.stages.brief import BriefRequest, BriefRun

    paths, output = options["paths"], options["output"]
    if "-" in paths:
        raise UsageError("brief reads folders or files, not stdin; save the articles in a folder")
    stage = build_process_stage(_process_config(options))
    request = BriefRequest(
        inputs=paths, out_dir=output or Path(DEFAULT_OUTPUT["brief"]),
        # With -o, the article pages go inside it too, so the briefing's links travel with the folder.
        articles_dir=options["articles"] or (output / "articles" if output else BriefRequest.articles_dir),
        date=options["date"], since=options["since"], until=options["until"],
        threshold=options["group_threshold"], include=options["include"], exclude=options["exclude"],
        force=options["force"], max_file_size=parse_size(options["max_file_size"]),
        wait_for_lock=options["wait"], template_dir=options["template_dir"], feed_days=options["feed_days"],
    )  # fmt: skip
    with stop_on_sigint(_say_stopping):
        # The --json summary is the briefing's, printed below: it includes the article run's.
        result = BriefRun(request, stage, ConsoleReporter(quiet=options["quiet"], verb="processed")).run()
    _report_brief(result, quiet=options["quiet"], json_summary=options["json_summary"])
    return result.exit_code


def check(options: Options) -> int:
    """`nlbrief check`: pairs a user has, or the outputs of an earlier run, checked; the report on
    stdout, errors on stderr; returns the exit status. No model is loaded, nor its library imported."""
    from pipeline.run.contracts import parse_size
    from pipeline.stages.check import run_check
    from pipeline.stages.check_report import CheckRequest

    request = CheckRequest(
        targets=options["targets"], json=options["json_report"], fail_on=options["fail_on"],
        glossary=options["glossary"], max_file_size=parse_size(options["max_file_size"]),
    )  # fmt: skip
    return run_check(request, sys.stdout, sys.stderr)


def fetch(options: Options) -> int:
    """`nlbrief fetch`: new articles of the feeds and pages named into the output folder; the exit
    status (1 when a feed or a page failed)."""
    from pipeline.fetch.fetcher import FetchRequest
    from pipeline.fetch.writer import DEFAULT_NEWS_DIR

    request = FetchRequest(
        sources=options["sources"] or [], feeds_files=options["feeds"] or [],
        out_dir=options["output"] or Path(DEFAULT_NEWS_DIR), policy=_fetch_policy(options),
        wait_for_lock=options["wait"],
    )  # fmt: skip
    return _fetch_and_report(request, quiet=options["quiet"]).exit_code


def daily(options: Options, *, given: set[str], settings: Mapping[str, Setting]) -> int:
    """`nlbrief daily`: the config file's feeds fetched into the news folder, then the day briefed
    from that folder by `brief`'s own run; the file's values stand in for the options not ``given``.
    The exit status is brief's, else fetch's (1: a feed failed, though the briefing was made)."""
    from pipeline.fetch.fetcher import FetchRequest
    from pipeline.run.contracts import parse_size
    from pipeline.stages.daily import read_config, today

    config = read_config(options["config"], settings)
    merged = config.merged(options, given)
    # Before fetching, so that a wrong value in the file stops the job at once, not after the fetch.
    day = merged["date"] or today(merged["timezone"])
    parse_size(merged["max_file_size"])
    request = FetchRequest(
        sources=[], feeds_files=[], feeds=config.feeds, out_dir=merged["news"],
        policy=_fetch_policy(merged), wait_for_lock=merged["wait"],
    )  # fmt: skip
    fetched = _fetch_and_report(request, quiet=merged["quiet"])
    briefed = brief({**merged, "paths": [str(merged["news"])], "date": day, "since": None, "until": None})
    return briefed or fetched.exit_code


def _fetch_policy(options: Options) -> FetchPolicy:
    from pipeline.fetch.http import EVERY_ADDRESS, FetchPolicy
    from pipeline.run.contracts import parse_size

    return FetchPolicy(
        timeout=options["timeout"], max_bytes=parse_size(options["max_size"], option="--max-size"),
        delay=options["delay"], private_allowed=EVERY_ADDRESS if options["allow_private"] else (),
    )  # fmt: skip


def _fetch_and_report(request: FetchRequest, *, quiet: bool) -> FetchReport:
    from pipeline.fetch.fetcher import StderrLog

    report = fetch_news(request, StderrLog(quiet=quiet))
    if not quiet or report.failed:
        print(report.end_line(), file=sys.stderr)
    return report


def fetch_news(request: FetchRequest, log: FetchLog) -> FetchReport:
    """Fetch what is new of ``request``'s sources into its folder, pages read by the one article
    extractor (pipeline/ingest/html.py): what `nlbrief fetch` runs, and what a daily job calls."""
    from pipeline.fetch.fetcher import run_fetch
    from pipeline.ingest.html import extract_article

    return run_fetch(request, extract_article, log)


def _report_brief(result: BriefResult, *, quiet: bool, json_summary: bool) -> None:
    if result.error is not None:
        print(f"error: {result.error}", file=sys.stderr)
    if json_summary:
        print(json.dumps(result.as_dict(), ensure_ascii=False))
    end_line = result.end_line()
    if end_line and (result.not_written or not quiet):
        print(end_line, file=sys.stderr)


def _batch(options: Options, stage: Stage, *, default_out: str, verb: str) -> int:
    """A batch run of `stage` over the options' inputs; `nlbrief X -` without -o is a filter to stdout."""
    from pipeline.run.batch import BatchRun
    from pipeline.run.contracts import RunOptions, parse_size
    from pipeline.run.interrupt import stop_on_sigint
    from pipeline.run.progress import ConsoleReporter

    paths, output = options["paths"], options["output"]
    run_options = RunOptions(
        paths, output or Path(default_out), include=options["include"], exclude=options["exclude"],
        force=options["force"], to_stdout=paths == ["-"] and output is None,
        max_file_size=parse_size(options["max_file_size"]), wait_for_lock=options["wait"],
    )  # fmt: skip
    if "wave_chars" in options:
        run_options.wave_chars = options["wave_chars"]
    engine = _engine(options)  # before the run: --engine ray without Ray is a usage error, exit 2
    reporter = ConsoleReporter(quiet=options["quiet"], json_summary=options["json_summary"], verb=verb)
    with stop_on_sigint(_say_stopping):
        return BatchRun(run_options, stage, reporter, engine=engine).run().exit_code


def _engine(options: Options) -> WaveEngine:
    """--engine and the cluster's options (--ray-*); the local engine for the commands without them."""
    from pipeline.engines.cluster import ClusterOptions
    from pipeline.engines.registry import build_engine

    cluster = {name[4:]: value for name, value in options.items() if name.startswith("ray_")}
    return build_engine(options.get("engine", "local"), ClusterOptions(**cluster))


def _say_stopping() -> None:
    # Called from the SIGINT handler: a plain write, no locks a progress bar might hold.
    sys.stderr.write("\nstopping after the current batch (press Ctrl-C again to stop at once)\n")
    sys.stderr.flush()


def _translator_choice(options: Options) -> TranslatorChoice:
    return TranslatorChoice(
        model=options["translator_model"], backend=options["backend"], compute_type=options["compute_type"],
        beams=options["beams"], batch_tokens=options["batch_tokens"],
        language_check=options["language_check"], cache_dir=options["cache_dir"],
        no_cache=options["no_cache"], glossary=options["glossary"],
    )  # fmt: skip


def _summarizer_choice(options: Options) -> SummarizerChoice:
    return SummarizerChoice(
        model=options["summarizer_model"], bullets=options["bullets"],
        context_tokens=options["context_tokens"], prompts_dir=options["prompts_dir"],
        quantize=options["quantize"], unsupported=options["unsupported"], batch=options["summary_batch"],
    )  # fmt: skip


def _runtime(options: Options) -> Runtime:
    return Runtime(
        device=options["device"], dtype=options["dtype"], threads=options["threads"],
        allow_pickle=options["allow_pickle"],
    )  # fmt: skip


def _process_config(options: Options) -> ProcessConfig:
    return ProcessConfig(
        translator=_translator_choice(options), summarizer=_summarizer_choice(options),
        runtime=_runtime(options),
    )  # fmt: skip
