"""The command line: parse arguments, call the library, turn its errors into exit codes.

Nothing heavy is imported at module level, so ``nlbrief --help`` answers at once.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from pipeline import __version__
from pipeline.errors import NlbriefError
from pipeline.models import DEFAULT_SUMMARIZER, DEFAULT_TRANSLATOR

app = typer.Typer(
    help="Dutch news into English: translations, summaries and briefings.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
models_app = typer.Typer(help="See, check and download the models nlbrief uses.", no_args_is_help=True)
app.add_typer(models_app, name="models")

TranslatorOption = Annotated[
    str,
    typer.Option(
        "--translator-model",
        envvar="NLBRIEF_TRANSLATOR_MODEL",
        help="Hub id or local folder of a MarianMT model.",
    ),
]


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


@app.command()
def translate(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (walked recursively) or - for stdin.")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Output folder [default: outputs/translations].")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="Output format: txt, md or json.")] = "txt",
    translator_model: TranslatorOption = DEFAULT_TRANSLATOR,
    backend: Annotated[str, typer.Option(help="Translation engine.")] = "torch",
    beams: Annotated[int, typer.Option(min=1, help="Beam size; 1 is greedy and fastest.")] = 4,
    batch_tokens: Annotated[int, typer.Option(min=1, help="Padded source tokens per batch.")] = 2048,
    device: Annotated[str, typer.Option(help="auto, cpu or cuda.")] = "auto",
    threads: Annotated[int | None, typer.Option(min=1, help="CPU threads for torch.")] = None,
    include: Annotated[
        list[str] | None, typer.Option(help="Glob of files to take in folders (repeatable).")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option(help="Glob of files or folders to leave out (repeatable).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Redo inputs that are up to date.")] = False,
    language_check: Annotated[
        bool, typer.Option("--language-check/--no-language-check", help="Refuse files that are not Dutch.")
    ] = True,
    allow_pickle: Annotated[
        bool, typer.Option("--allow-pickle", help="Allow pickle (.bin) weights, which can run code.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar, warnings or summary.")
    ] = False,
    json_summary: Annotated[bool, typer.Option("--json", help="Print a JSON summary on stdout.")] = False,
    wave_chars: Annotated[int, typer.Option(min=1, hidden=True, help="Characters between saves.")] = 40_000,
) -> None:
    """Translate Dutch .txt/.md files into English, mirroring the input tree."""
    from pipeline.progress import ConsoleReporter
    from pipeline.translate import TranslateSettings
    from pipeline.translate_job import TranslateJob, TranslateRun

    job = TranslateJob(
        inputs=paths,
        out_dir=output or Path("outputs/translations"),
        fmt=fmt,
        model=translator_model,
        backend=backend,
        settings=TranslateSettings(beams=beams, batch_tokens=batch_tokens, language_check=language_check),
        device=device,
        threads=threads,
        allow_pickle=allow_pickle,
        include=include,
        exclude=exclude,
        force=force,
        wave_chars=wave_chars,
        to_stdout=paths == ["-"] and output is None,
    )
    summary = TranslateRun(job, ConsoleReporter(quiet=quiet, json_summary=json_summary)).run()
    raise typer.Exit(summary.exit_code)


@app.command()
def segment(
    path: Annotated[str, typer.Argument(help="A .txt/.md file, or - for stdin.")] = "-",
    tsv: Annotated[
        bool, typer.Option("--tsv", help="One line per paragraph, sentences joined by a TAB.")
    ] = False,
) -> None:
    """Split Dutch text into sentences: one per line, an empty line after each paragraph."""
    from pipeline.discover import SourceFile
    from pipeline.render import format_segments
    from pipeline.sources import read_document
    from pipeline.translate import document_sentences

    source = (
        SourceFile(None, None, "stdin") if path == "-" else SourceFile(Path(path), Path(path).parent, path)
    )
    data = sys.stdin.buffer.read() if path == "-" else None
    doc = read_document(source, data)
    sys.stdout.write(format_segments(document_sentences(doc), tsv=tsv))


@models_app.command("list")
def models_list(translator_model: TranslatorOption = DEFAULT_TRANSLATOR) -> None:
    """The configured models, and whether each is on this machine (and where)."""
    from pipeline.models import model_status

    for status in (
        model_status("translator", translator_model),
        model_status("summarizer", DEFAULT_SUMMARIZER),
    ):
        state = "available" if status.available else "MISSING"
        typer.echo(f"{status.role:<11} {status.spec}\n            {state}: {status.where}")


@models_app.command("info")
def models_info(model: Annotated[str, typer.Argument(help="Hub id or local folder.")]) -> None:
    """Details of one model on this machine: folder, revision, weights, architecture, size."""
    from pipeline.models import describe_model

    typer.echo(json.dumps(describe_model(model), indent=2))


@models_app.command("pull")
def models_pull(
    models: Annotated[
        list[str] | None, typer.Argument(help="Hub ids [default: the configured models].")
    ] = None,
    translator_model: TranslatorOption = DEFAULT_TRANSLATOR,
) -> None:
    """Download models into the Hugging Face cache (HF_HOME) for later offline use."""
    from pipeline.models import download_model

    for spec in models or [translator_model, DEFAULT_SUMMARIZER]:
        option = "--summarizer-model" if spec == DEFAULT_SUMMARIZER else "--translator-model"
        source = download_model(spec, option=option)
        typer.echo(f"{spec}: {source.path}")


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
