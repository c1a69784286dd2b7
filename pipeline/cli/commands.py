"""The command line: parse arguments, call the library, turn its errors into exit codes.

Nothing heavy is imported at module level, so ``nlbrief --help`` answers at once.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pipeline import __version__
from pipeline.app import build_process_stage, memory_path, segment_input
from pipeline.briefing.stories import DEFAULT_THRESHOLD
from pipeline.cli.admin import models_app, prompts_app
from pipeline.cli.options import (
    HELP_SETTINGS,
    AllowPickleOption,
    BackendOption,
    BatchTokensOption,
    BeamsOption,
    BulletsOption,
    CacheDirOption,
    ComputeTypeOption,
    ContextOption,
    DeviceOption,
    ExcludeOption,
    ForceOption,
    IncludeOption,
    JsonOption,
    LanguageCheckOption,
    MaxFileSizeOption,
    NoCacheOption,
    PathsArgument,
    PromptsDirOption,
    QuantizeOption,
    QuietOption,
    SummarizerOption,
    ThreadsOption,
    TranslatorOption,
    WaitOption,
    WaveOption,
    output_option,
)
from pipeline.errors import NlbriefError, UsageError
from pipeline.models.locate import DEFAULT_SUMMARIZER, DEFAULT_TRANSLATOR
from pipeline.run.contracts import DEFAULT_MAX_FILE_SIZE_TEXT

if TYPE_CHECKING:
    from pipeline.run.contracts import Reporter, RunOptions, Stage

app = typer.Typer(
    help="Dutch news into English: translations, summaries and briefings.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
    context_settings=HELP_SETTINGS,
)
app.add_typer(models_app, name="models")
app.add_typer(prompts_app, name="prompts")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nlbrief {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Dutch news into English: translations, summaries and briefings."""


@app.command(short_help="Translate Dutch .txt/.md files into English.")
def translate(
    paths: PathsArgument,
    output: Annotated[Path | None, output_option("outputs/translations")] = None,
    fmt: Annotated[str, typer.Option("--format", metavar="txt|md|json", help="Output file type.")] = "txt",
    translator_model: TranslatorOption = DEFAULT_TRANSLATOR,
    backend: BackendOption = "torch",
    compute_type: ComputeTypeOption = "auto",
    cache_dir: CacheDirOption = None,
    no_cache: NoCacheOption = False,
    beams: BeamsOption = 4,
    batch_tokens: BatchTokensOption = 2048,
    device: DeviceOption = "auto",
    threads: ThreadsOption = None,
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    force: ForceOption = False,
    language_check: LanguageCheckOption = True,
    allow_pickle: AllowPickleOption = False,
    max_file_size: MaxFileSizeOption = DEFAULT_MAX_FILE_SIZE_TEXT,
    wait: WaitOption = False,
    quiet: QuietOption = False,
    json_summary: JsonOption = False,
    wave_chars: WaveOption = 40_000,
) -> None:
    """Translate Dutch .txt/.md files into English, mirroring the input tree.

    PATH: .txt/.md files, folders (walked recursively), or - for stdin: the translation of stdin is
    printed on stdout (no files, no manifest) unless -o is given.
    """
    from pipeline.run.contracts import RunOptions
    from pipeline.stages.translate import LazyTranslator, TranslateStage, TranslatorConfig
    from pipeline.translate.translator import TranslateSettings

    settings = TranslateSettings(beams=beams, batch_tokens=batch_tokens, language_check=language_check)
    translator = LazyTranslator(
        TranslatorConfig(
            translator_model,
            backend,
            settings,
            device,
            threads,
            allow_pickle,
            compute_type,
            memory_path(cache_dir, no_cache),
        )
    )
    out_dir = output or Path("outputs/translations")
    options = RunOptions(paths, out_dir, include, exclude, force, _filter(paths, output), wave_chars)
    _run(options, TranslateStage(translator, fmt), quiet, json_summary, max_file_size, wait, "translated")


@app.command(short_help="Translate Dutch articles, then write English bullets and a headline.")
def process(
    paths: PathsArgument,
    output: Annotated[Path | None, output_option("outputs/articles")] = None,
    translator_model: TranslatorOption = DEFAULT_TRANSLATOR,
    summarizer_model: SummarizerOption = DEFAULT_SUMMARIZER,
    bullets: BulletsOption = 3,
    context_tokens: ContextOption = None,
    prompts_dir: PromptsDirOption = None,
    quantize: QuantizeOption = "none",
    backend: BackendOption = "torch",
    compute_type: ComputeTypeOption = "auto",
    cache_dir: CacheDirOption = None,
    no_cache: NoCacheOption = False,
    beams: BeamsOption = 4,
    batch_tokens: BatchTokensOption = 2048,
    device: DeviceOption = "auto",
    threads: ThreadsOption = None,
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    force: ForceOption = False,
    language_check: LanguageCheckOption = True,
    allow_pickle: AllowPickleOption = False,
    max_file_size: MaxFileSizeOption = DEFAULT_MAX_FILE_SIZE_TEXT,
    wait: WaitOption = False,
    quiet: QuietOption = False,
    json_summary: JsonOption = False,
    wave_chars: WaveOption = 40_000,
) -> None:
    """Translate Dutch articles, then write English bullets and a headline for each (JSON + Markdown).

    PATH: .txt/.md files, folders (walked recursively), or - for stdin: the article page (Markdown) of
    stdin is printed on stdout (no files, no manifest) unless -o is given.
    """
    from pipeline.run.contracts import RunOptions

    stage = build_process_stage(
        translator_model, backend, compute_type, beams, batch_tokens, language_check, cache_dir, no_cache,
        summarizer_model, bullets, context_tokens, prompts_dir, quantize,
        device, threads, allow_pickle,
    )  # fmt: skip
    options = RunOptions(
        paths, output or Path("outputs/articles"), include, exclude, force, _filter(paths, output), wave_chars
    )
    _run(options, stage, quiet, json_summary, max_file_size, wait, "processed")


@app.command(short_help="Write English bullets and a headline for English articles.")
def summarize(
    paths: PathsArgument,
    output: Annotated[Path | None, output_option("outputs/summaries")] = None,
    summarizer_model: SummarizerOption = DEFAULT_SUMMARIZER,
    bullets: BulletsOption = 3,
    context_tokens: ContextOption = None,
    prompts_dir: PromptsDirOption = None,
    quantize: QuantizeOption = "none",
    device: DeviceOption = "auto",
    threads: ThreadsOption = None,
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    force: ForceOption = False,
    allow_pickle: AllowPickleOption = False,
    max_file_size: MaxFileSizeOption = DEFAULT_MAX_FILE_SIZE_TEXT,
    wait: WaitOption = False,
    quiet: QuietOption = False,
    json_summary: JsonOption = False,
) -> None:
    """Write English bullets and a headline for English articles (JSON + Markdown).

    PATH: .txt/.md files, folders (walked recursively), or - for stdin: the article page (Markdown) of
    stdin is printed on stdout (no files, no manifest) unless -o is given.
    """
    from pipeline.run.contracts import RunOptions
    from pipeline.stages.process import LazySummarizer, SummarizerConfig, SummarizeStage
    from pipeline.summarize.summarizer import SummarizeSettings

    settings = SummarizeSettings(bullets=bullets, context_tokens=context_tokens, prompts_dir=prompts_dir)
    summarizer = LazySummarizer(
        SummarizerConfig(summarizer_model, settings, device, threads, allow_pickle, quantize)
    )
    out_dir = output or Path("outputs/summaries")
    options = RunOptions(paths, out_dir, include, exclude, force, _filter(paths, output))
    _run(options, SummarizeStage(summarizer), quiet, json_summary, max_file_size, wait, "summarized")


@app.command(short_help="The daily briefing of a day's Dutch articles: Markdown, HTML and JSON.")
def brief(
    paths: Annotated[list[str], typer.Argument(metavar="PATH", hidden=True)],
    date: Annotated[
        str | None,
        typer.Option(metavar="YYYY-MM-DD", help="The day (default: the newest day present)."),
    ] = None,
    since: Annotated[
        str | None, typer.Option(metavar="YYYY-MM-DD", help="First day of a multi-day digest.")
    ] = None,
    until: Annotated[
        str | None, typer.Option(metavar="YYYY-MM-DD", help="Last day of a multi-day digest.")
    ] = None,
    output: Annotated[Path | None, output_option("outputs/briefings")] = None,
    articles: Annotated[
        Path | None,
        typer.Option(
            metavar="DIR",
            help="Where article records go and are reused (default: OUTPUT/articles, or outputs/articles).",
        ),
    ] = None,
    group_threshold: Annotated[
        float,
        typer.Option(min=0.0, max=1.0, metavar="X", help="Similarity above which articles form one story."),
    ] = DEFAULT_THRESHOLD,
    translator_model: TranslatorOption = DEFAULT_TRANSLATOR,
    summarizer_model: SummarizerOption = DEFAULT_SUMMARIZER,
    bullets: BulletsOption = 3,
    context_tokens: ContextOption = None,
    prompts_dir: PromptsDirOption = None,
    quantize: QuantizeOption = "none",
    backend: BackendOption = "torch",
    compute_type: ComputeTypeOption = "auto",
    cache_dir: CacheDirOption = None,
    no_cache: NoCacheOption = False,
    beams: BeamsOption = 4,
    batch_tokens: BatchTokensOption = 2048,
    device: DeviceOption = "auto",
    threads: ThreadsOption = None,
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    force: ForceOption = False,
    language_check: LanguageCheckOption = True,
    allow_pickle: AllowPickleOption = False,
    max_file_size: MaxFileSizeOption = DEFAULT_MAX_FILE_SIZE_TEXT,
    wait: WaitOption = False,
    quiet: QuietOption = False,
    json_summary: JsonOption = False,
) -> None:
    """Write the daily briefing of a day's Dutch articles: Markdown, HTML and JSON.

    PATH: folders (walked recursively) or .txt/.md files of Dutch articles; not stdin.
    """
    from pipeline.run.contracts import parse_size
    from pipeline.run.interrupt import stop_on_sigint
    from pipeline.run.progress import ConsoleReporter
    from pipeline.stages.brief import BriefRequest, BriefRun

    if "-" in paths:
        raise UsageError("brief reads folders or files, not stdin; save the articles in a folder")
    stage = build_process_stage(
        translator_model, backend, compute_type, beams, batch_tokens, language_check, cache_dir, no_cache,
        summarizer_model, bullets, context_tokens, prompts_dir, quantize,
        device, threads, allow_pickle,
    )  # fmt: skip
    request = BriefRequest(
        paths,
        output or Path("outputs/briefings"),
        # With -o, the article pages go inside it too, so the briefing's links travel with the folder.
        articles or (output / "articles" if output else Path("outputs/articles")),
        date,
        since,
        until,
        group_threshold,
        include,
        exclude,
        force,
        parse_size(max_file_size),
        wait,
    )
    with stop_on_sigint(_say_stopping):
        # The --json summary is the briefing's, printed below: it includes the article run's.
        result = BriefRun(request, stage, ConsoleReporter(quiet=quiet, verb="processed")).run()
    if result.error is not None:
        typer.echo(f"error: {result.error}", err=True)
    if json_summary:
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False))
    end_line = result.end_line()
    if end_line and (result.not_written or not quiet):
        typer.echo(end_line, err=True)
    raise typer.Exit(result.exit_code)


def _filter(paths: list[str], output: Path | None) -> bool:
    """Whether the run works as a filter: `nlbrief X -` without -o prints its result on stdout."""
    return paths == ["-"] and output is None


def _run(
    options: RunOptions,
    stage: Stage,
    quiet: bool,
    json_summary: bool,
    max_file_size: str,
    wait: bool,
    verb: str,
) -> None:
    from pipeline.run.batch import BatchRun
    from pipeline.run.contracts import parse_size
    from pipeline.run.interrupt import stop_on_sigint
    from pipeline.run.progress import ConsoleReporter

    options.max_file_size = parse_size(max_file_size)
    options.wait_for_lock = wait
    reporter: Reporter = ConsoleReporter(quiet=quiet, json_summary=json_summary, verb=verb)
    with stop_on_sigint(_say_stopping):
        summary = BatchRun(options, stage, reporter).run()
    raise typer.Exit(summary.exit_code)


def _say_stopping() -> None:
    # Called from the SIGINT handler: a plain write, no locks a progress bar might hold.
    sys.stderr.write("\nstopping after the current batch (press Ctrl-C again to stop at once)\n")
    sys.stderr.flush()


@app.command(short_help="Split Dutch text into sentences.")
def segment(
    path: Annotated[str, typer.Argument(metavar="FILE", hidden=True)] = "-",
    tsv: Annotated[
        bool, typer.Option("--tsv", help="One line per paragraph, sentences joined by a TAB.")
    ] = False,
    max_file_size: MaxFileSizeOption = DEFAULT_MAX_FILE_SIZE_TEXT,
) -> None:
    """Split Dutch text into sentences: one per line, an empty line after each paragraph.

    FILE: a .txt/.md file, or - for stdin (the default).
    """
    from pipeline.run.contracts import parse_size

    sys.stdout.write(segment_input(path, parse_size(max_file_size), tsv))


def main() -> None:
    """Entry point: the one boundary where library errors become messages and exit codes."""
    try:
        app()
    except NlbriefError as err:
        typer.echo(f"error: {err}", err=True)
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
