"""The command line's shared options: their names, values (metavars), defaults and help texts.

Kept apart from pipeline/cli/commands.py so the commands read as what they do. Only light modules are
imported here (registries and defaults, no model code): every ``nlbrief`` start, ``--help`` too,
loads this module.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from pipeline.briefing.feed import DEFAULT_FEED_DAYS
from pipeline.briefing.stories import DEFAULT_THRESHOLD
from pipeline.fetch.writer import DEFAULT_NEWS_DIR
from pipeline.ingest.discover import DEFAULT_INCLUDE
from pipeline.models.locate import DEFAULT_SUMMARIZER, DEFAULT_TRANSLATOR
from pipeline.run.contracts import DEFAULT_MAX_FILE_SIZE_TEXT, DEFAULT_WAVE_CHARS
from pipeline.translate.backends.registry import BACKEND_CHOICES

# Plain (click) help, not rich panels: rich cuts defaults and env vars at 80 columns and shows a type
# after flags that take no value; plain help wraps every word and stays readable at any width.
HELP_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 120}

SummarizerOption = Annotated[
    str,
    typer.Option(
        "--summarizer-model",
        envvar="NLBRIEF_SUMMARIZER_MODEL",
        metavar="ID|DIR",
        help="Hub id or local folder of a chat (causal LM) or seq2seq summarization model.",
    ),
]
PromptsDirOption = Annotated[
    Path | None,
    typer.Option("--prompts-dir", metavar="DIR", help="Folder with edited copies of prompt templates."),
]
TranslatorOption = Annotated[
    str,
    typer.Option(
        "--translator-model",
        envvar="NLBRIEF_TRANSLATOR_MODEL",
        metavar="ID|DIR",
        help="Hub id or local folder of a MarianMT model.",
    ),
]
# Options shared by the batch commands (translate, process, summarize).
# Arguments are hidden from the options list, where typer would print their Python type (`<list[str]>`)
# after the name; each command's docstring says what its arguments are.
PathsArgument = Annotated[list[str], typer.Argument(metavar="PATH", hidden=True)]
BackendOption = Annotated[
    str,
    typer.Option(
        metavar="|".join(BACKEND_CHOICES),
        help="Translation engine; auto is ctranslate2 (int8, fastest on a CPU) when nlbrief[fast] is "
        "installed, else torch.",
    ),
]
BeamsOption = Annotated[
    int, typer.Option(min=1, metavar="N", help="Translation beam size; 1 is greedy and fastest.")
]
BatchTokensOption = Annotated[
    int, typer.Option(min=1, metavar="N", help="Padded source tokens per translation batch.")
]
DeviceOption = Annotated[
    str, typer.Option(metavar="auto|cpu|cuda", help="auto takes a CUDA GPU when there is one.")
]
DtypeOption = Annotated[
    str,
    typer.Option(
        envvar="NLBRIEF_DTYPE",
        metavar="auto|float32|bfloat16",
        help="Number format of the torch models: auto is bfloat16 on a CUDA GPU and on a CPU that does it "
        "natively (AMX, AVX512-BF16), float32 elsewhere. CTranslate2 takes --compute-type.",
    ),
]
SummaryBatchOption = Annotated[
    int | None,
    typer.Option(
        min=1,
        metavar="N",
        show_default="8 in bfloat16 or on a GPU, 4 with int8, else 1",
        help="Articles summarized together (each group is saved before the next).",
    ),
]
ThreadsOption = Annotated[
    int | None,
    typer.Option(min=1, metavar="N", show_default="torch's own", help="CPU threads for torch."),
]
IncludeOption = Annotated[
    list[str] | None,
    typer.Option(
        metavar="GLOB",
        show_default=", ".join(DEFAULT_INCLUDE),
        help="Glob of files to take in folders (repeatable).",
    ),
]
ExcludeOption = Annotated[
    list[str] | None,
    typer.Option(metavar="GLOB", help="Glob of files or folders to leave out (repeatable)."),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Redo inputs that are up to date.")]
LanguageCheckOption = Annotated[
    bool,
    typer.Option(
        "--language-check/--no-language-check",
        help="Pass English files through, refuse other non-Dutch languages "
        "(--no-language-check: translate them anyway).",
    ),
]
AllowPickleOption = Annotated[
    bool, typer.Option("--allow-pickle", help="Allow pickle (.bin) weights, which can run code when loaded.")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, warnings or summary.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print a JSON summary on stdout.")]
MaxFileSizeOption = Annotated[
    str,
    typer.Option(
        "--max-file-size", metavar="SIZE", help="Refuse input files larger than this, e.g. 20MB or 500KB."
    ),
]
WaitOption = Annotated[
    bool, typer.Option("--wait", help="If another run is writing the output folder, wait for it to finish.")
]
WaveOption = Annotated[int, typer.Option(min=1, hidden=True, help="Characters between saves.")]
ComputeTypeOption = Annotated[
    str,
    typer.Option(
        metavar="TYPE",
        help="ctranslate2 backend: int8 (CPU default), int8_float16 (GPU default), float32, ...",
    ),
]
CacheDirOption = Annotated[
    Path | None,
    typer.Option(metavar="DIR", help="Folder of the translation memory (default: ~/.cache/nlbrief)."),
]
NoCacheOption = Annotated[bool, typer.Option("--no-cache", help="Do not use the translation memory.")]
GlossaryOption = Annotated[
    Path | None,
    typer.Option(
        metavar="FILE",
        help='TOML glossary: "Dutch term" = ["accepted English rendering", ...]; every occurrence is '
        "checked in the translation.",
    ),
]
UnsupportedOption = Annotated[
    str,
    typer.Option(
        metavar="flag|drop",
        help="A bullet with a number, date or name the article lacks: flag it, or drop it (and say so).",
    ),
]
# The choices of --quantize and --format are spelled out: importing their registries (generators.QUANTIZE,
# render.FORMATS) would slow down every start with YAML and the translator; a test checks them.
QuantizeOption = Annotated[str, typer.Option(metavar="none|int8", help="Summarizer weights on the CPU.")]
BulletsOption = Annotated[int, typer.Option(min=1, max=20, metavar="N", help="Bullet points per article.")]
ContextOption = Annotated[
    int | None,
    typer.Option(
        min=64,
        metavar="N",
        show_default="the model's own context",
        help="Summarizer input budget in tokens; longer articles go map-reduce.",
    ),
]


def output_option(default: str) -> object:
    """-o/--output, with the command's default folder named in its help."""
    return typer.Option("-o", "--output", metavar="DIR", help=f"Output folder (default: {default}).")


DayOption = Annotated[
    str | None,
    typer.Option("--date", metavar="YYYY-MM-DD", help="The day (default: the newest day present)."),
]
SinceOption = Annotated[
    str | None, typer.Option(metavar="YYYY-MM-DD", help="First day of a multi-day digest.")
]
UntilOption = Annotated[
    str | None, typer.Option(metavar="YYYY-MM-DD", help="Last day of a multi-day digest.")
]
ArticlesOption = Annotated[
    Path | None,
    typer.Option(
        metavar="DIR",
        help="Where article records go and are reused (default: OUTPUT/articles, or outputs/articles).",
    ),
]
ThresholdOption = Annotated[
    float,
    typer.Option(min=0.0, max=1.0, metavar="X", help="Similarity above which articles form one story."),
]
TemplateDirOption = Annotated[
    Path | None,
    typer.Option(
        "--template-dir",
        metavar="DIR",
        help="Folder with edited copies of the briefing's page templates (briefing.html.j2, "
        "briefing.md.j2); a template not found there is the built-in one.",
    ),
]
FeedDaysOption = Annotated[
    int,
    typer.Option(
        min=1, metavar="N", help="briefings.atom, the feed of the briefings, holds the newest N days."
    ),
]
FormatOption = Annotated[str, typer.Option("--format", metavar="txt|md|json", help="Output file type.")]

# --- the commands' parameters, in groups -----------------------------------------------------------------
# A command is written `def command(**options)` under `@declare(...)`: typer reads the parameters from the
# signature that declare() gives it, so each option is declared once here and the commands that share it
# name its group.


def _parameter(name: str, annotation: object, default: object = inspect.Parameter.empty) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)


PATHS = [inspect.Parameter("paths", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=PathsArgument)]
TRANSLATOR = [
    _parameter("translator_model", TranslatorOption, DEFAULT_TRANSLATOR),
    _parameter("backend", BackendOption, "auto"),
    _parameter("compute_type", ComputeTypeOption, "auto"),
    _parameter("cache_dir", CacheDirOption, None),
    _parameter("no_cache", NoCacheOption, False),
    _parameter("beams", BeamsOption, 4),
    _parameter("batch_tokens", BatchTokensOption, 2048),
    _parameter("language_check", LanguageCheckOption, True),
    _parameter("glossary", GlossaryOption, None),
]
SUMMARIZER = [
    _parameter("summarizer_model", SummarizerOption, DEFAULT_SUMMARIZER),
    _parameter("bullets", BulletsOption, 3),
    _parameter("context_tokens", ContextOption, None),
    _parameter("prompts_dir", PromptsDirOption, None),
    _parameter("quantize", QuantizeOption, "none"),
    _parameter("unsupported", UnsupportedOption, "flag"),
    _parameter("summary_batch", SummaryBatchOption, None),
]
RUNTIME = [
    _parameter("device", DeviceOption, "auto"),
    _parameter("dtype", DtypeOption, "auto"),
    _parameter("threads", ThreadsOption, None),
    _parameter("allow_pickle", AllowPickleOption, False),
]
RUN = [
    _parameter("include", IncludeOption, None),
    _parameter("exclude", ExcludeOption, None),
    _parameter("force", ForceOption, False),
    _parameter("max_file_size", MaxFileSizeOption, DEFAULT_MAX_FILE_SIZE_TEXT),
    _parameter("wait", WaitOption, False),
    _parameter("quiet", QuietOption, False),
    _parameter("json_summary", JsonOption, False),
]
WAVES = [_parameter("wave_chars", WaveOption, DEFAULT_WAVE_CHARS)]
FORMAT = [_parameter("fmt", FormatOption, "txt")]
PERIOD = [
    _parameter("date", DayOption, None),
    _parameter("since", SinceOption, None),
    _parameter("until", UntilOption, None),
]
BRIEFING = [
    _parameter("articles", ArticlesOption, None),
    _parameter("group_threshold", ThresholdOption, DEFAULT_THRESHOLD),
    _parameter("template_dir", TemplateDirOption, None),
    _parameter("feed_days", FeedDaysOption, DEFAULT_FEED_DAYS),
]


def output(default: str) -> list[inspect.Parameter]:
    return [_parameter("output", Annotated[Path | None, output_option(default)], None)]


Command = TypeVar("Command", bound=Callable[..., Any])


def declare(*groups: list[inspect.Parameter]) -> Callable[[Command], Command]:
    """Give a ``def command(**options)`` the parameters of these groups, in this order, for typer to read."""

    def give(command: Command) -> Command:
        command.__signature__ = inspect.Signature([p for group in groups for p in group])  # type: ignore[attr-defined]
        return command

    return give


# --- nlbrief check ----------------------------------------------------------------------------------------
# `check pairs FILE` or `check DIR`: one argument list, told apart in pipeline/stages/check.py.
TargetsArgument = Annotated[list[str], typer.Argument(metavar="TARGET", hidden=True)]
CheckJsonOption = Annotated[
    bool,
    typer.Option(
        "--json",
        help="One JSON object a line on stdout: per pair {id, flagged, findings}, per article {path, "
        "flagged, findings with where, ...}; the summary line goes to stderr.",
    ),
]
# The choices are spelled out, as for --quantize: a test checks them against check_report.FAIL_ON.
FailOnOption = Annotated[
    str,
    typer.Option(
        "--fail-on",
        metavar="never|warning",
        help="warning: exit 1 when any pair or article is flagged (for scripts); never: exit 0 "
        "whatever the checks find.",
    ),
]
CHECK_TARGETS = [
    inspect.Parameter("targets", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=TargetsArgument)
]
CHECK = [
    _parameter("json_report", CheckJsonOption, False),
    _parameter("fail_on", FailOnOption, "never"),
    _parameter("glossary", GlossaryOption, None),
    _parameter("max_file_size", MaxFileSizeOption, DEFAULT_MAX_FILE_SIZE_TEXT),
]


# --- nlbrief fetch ----------------------------------------------------------------------------------------
SourcesArgument = Annotated[list[str] | None, typer.Argument(metavar="SOURCE", hidden=True)]
FeedsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--feeds",
        metavar="FILE",
        help='TOML, one table per feed: [nos] url = "..." and optionally name = "NOS", include = ["*glob*"], '
        "exclude = [...] (globs on the item's title or URL). Repeatable.",
    ),
]
DelayOption = Annotated[
    float, typer.Option(min=0.0, metavar="SECONDS", help="Pause between two requests to one host.")
]
TimeoutOption = Annotated[
    float, typer.Option(min=0.1, metavar="SECONDS", help="Longest wait for one whole answer.")
]
MaxSizeOption = Annotated[
    str,
    typer.Option(
        "--max-size", metavar="SIZE", help="Refuse an answer larger than this (decompressed), e.g. 5MB."
    ),
]
AllowPrivateOption = Annotated[
    bool,
    typer.Option(
        "--allow-private",
        help="Also fetch from private and local addresses (this machine, the local network); refused "
        "by default, so that a feed cannot point nlbrief at them.",
    ),
]
# How fetch asks (nlbrief daily shares them).
FETCH_POLICY = [
    _parameter("delay", DelayOption, 1.0),
    _parameter("timeout", TimeoutOption, 20.0),
    _parameter("max_size", MaxSizeOption, "10MB"),
    _parameter("allow_private", AllowPrivateOption, False),
]
FETCH = [
    inspect.Parameter(
        "sources", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=SourcesArgument, default=None
    ),
    *output(DEFAULT_NEWS_DIR),
    _parameter("feeds", FeedsOption, None),
    *FETCH_POLICY,
    _parameter("wait", WaitOption, False),
    _parameter("quiet", QuietOption, False),
]
