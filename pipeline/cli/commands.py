"""The command line: declare the commands, hand their options to pipeline.app, turn errors into exit codes.

Each command is its options (declared once, in groups, in pipeline/cli/options.py) and one call to the
composition root. Nothing heavy is imported at module level, so ``nlbrief --help`` answers at once.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from pipeline import __version__
from pipeline import app as wiring
from pipeline.cli.admin import models_app, prompts_app
from pipeline.cli.config_options import CONTEXT, DAILY_GROUPS, DAILY_SETTINGS, given_options
from pipeline.cli.engine_options import ENGINE
from pipeline.cli.options import (
    BRIEFING,
    CHECK,
    CHECK_TARGETS,
    FETCH,
    FORMAT,
    HELP_SETTINGS,
    PATHS,
    PERIOD,
    RUN,
    RUNTIME,
    SUMMARIZER,
    TRANSLATOR,
    WAVES,
    MaxFileSizeOption,
    declare,
    output,
)
from pipeline.errors import NlbriefError
from pipeline.run.contracts import DEFAULT_MAX_FILE_SIZE_TEXT, DEFAULT_OUTPUT

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
@declare(PATHS, output(DEFAULT_OUTPUT["translate"]), FORMAT, TRANSLATOR, RUNTIME, ENGINE, RUN, WAVES)
def translate(**options: Any) -> None:
    """Translate Dutch .txt/.md files into English, mirroring the input tree.

    PATH: .txt/.md files, folders (walked recursively), or - for stdin: the translation of stdin is
    printed on stdout (no files, no manifest) unless -o is given.
    """
    raise typer.Exit(wiring.translate(options))


@app.command(short_help="Translate Dutch articles, then write English bullets and a headline.")
@declare(PATHS, output(DEFAULT_OUTPUT["process"]), TRANSLATOR, SUMMARIZER, RUNTIME, ENGINE, RUN, WAVES)
def process(**options: Any) -> None:
    """Translate Dutch articles, then write English bullets and a headline for each (JSON + Markdown).

    PATH: .txt/.md files, folders (walked recursively), or - for stdin: the article page (Markdown) of
    stdin is printed on stdout (no files, no manifest) unless -o is given.
    """
    raise typer.Exit(wiring.process(options))


@app.command(short_help="Write English bullets and a headline for English articles.")
@declare(PATHS, output(DEFAULT_OUTPUT["summarize"]), SUMMARIZER, RUNTIME, RUN)
def summarize(**options: Any) -> None:
    """Write English bullets and a headline for English articles (JSON + Markdown).

    PATH: .txt/.md files, folders (walked recursively), or - for stdin: the article page (Markdown) of
    stdin is printed on stdout (no files, no manifest) unless -o is given.
    """
    raise typer.Exit(wiring.summarize(options))


@app.command(short_help="The daily briefing of a day's Dutch articles: Markdown, HTML and JSON.")
@declare(PATHS, PERIOD, output(DEFAULT_OUTPUT["brief"]), BRIEFING, TRANSLATOR, SUMMARIZER, RUNTIME, RUN)
def brief(**options: Any) -> None:
    """Write the daily briefing of a day's Dutch articles: Markdown, HTML and JSON.

    PATH: folders (walked recursively) or .txt/.md files of Dutch articles; not stdin.
    """
    raise typer.Exit(wiring.brief(options))


@app.command(short_help="Check that numbers, amounts, dates and names survived: pairs, or a run's outputs.")
@declare(CHECK_TARGETS, CHECK)
def check(**options: Any) -> None:
    """Check that facts (numbers, amounts, dates, names) survived translation and summary. No model
    is needed.

    \b
    nlbrief check pairs FILE   pairs you already have (FILE, or - for stdin)
    nlbrief check DIR          the outputs of an earlier run, checked again

    pairs FILE: JSON lines, one object a line: {"id": ..., "source": ..., "output": ..., "source_lang":
    "nl"}. source_lang nl (the default): a Dutch source and its English translation, facts checked both
    ways, glossary terms too with --glossary; en: an English article and a summary of it, whose every
    fact must be in the article. Or a TSV of two columns, source TAB output (Dutch, English), whose id
    is the line number. The format is told from the first line, not the file name. A malformed line is
    an error line naming it; the other lines are still checked.

    DIR: the output folder of nlbrief process (its JSON records: the translation sentence by sentence,
    the headline and each bullet against the article) or the JSON outputs of nlbrief translate. The report
    says where the checks now differ from what a record holds. Records of nlbrief summarize hold no
    source text: their stored checks are shown, not checked again.

    Prints each flagged pair, or each article with findings (where, message), then a summary line.

    Exit status: 0 the check ran, whatever it found; 1 a malformed line or unreadable record, or (with
    --fail-on warning) a flagged pair or article; 2 wrong usage, or a folder without nlbrief outputs.
    """
    raise typer.Exit(wiring.check(options))


@app.command(short_help="Fetch new Dutch articles from news feeds and article pages.")
@declare(FETCH)
def fetch(**options: Any) -> None:
    """Fetch new Dutch articles from news feeds and article pages, one file per article, in the format
    nlbrief reads (YAML front matter: title, date, source, url, ...; then the text).

    SOURCE: a feed URL (RSS 0.9x, 1.0, 2.0 or Atom), an article URL, or an OPML file of feeds; or
    none, with --feeds FILE.

    Each new item's page is fetched and its article text, title, date and author extracted; when
    the page gives no usable text the feed's own text is written, and the file says which. A rerun
    fetches only what is new: what was seen is kept in DIR/.nlbrief-fetch.sqlite3 (validators for
    conditional requests, item ids and URLs, digests of the texts), so an article moved or published
    again is not written twice, and a changed one is written again in its own file.

    Rules: the User-Agent names nlbrief; robots.txt is honoured; one request at a time, --delay
    apart per host; --timeout and --max-size bound each answer (a gzip bomb is refused); at most 5
    redirects; http and https only, and no private or local address unless --allow-private. A feed
    or page that fails is one error line naming it and why; the others go on.

    Exit status: 0 all fetched; 1 a feed or page failed; 2 wrong usage; 4 the folder or its state
    cannot be written; 5 another nlbrief run holds the folder.
    """
    raise typer.Exit(wiring.fetch(options))


@app.command(short_help="The daily job: fetch the configured feeds, then write the day's briefing.")
@declare(CONTEXT, *DAILY_GROUPS)
def daily(context: typer.Context, **options: Any) -> None:
    """The daily job, for cron or a systemd timer: fetch what is new from the feeds of the config file
    into --news, then write the briefing of the day (today in --timezone) from that folder, as
    nlbrief fetch and nlbrief brief do, with their locks and their resumption: a rerun fetches only
    what is new and leaves an up-to-date briefing as it is.

    The config file (nlbrief.toml in the working folder, or --config FILE) holds the feeds, one
    [feeds.NAME] table each (url, and optionally name, include, exclude) or feeds = "FILE" (a feeds
    file as nlbrief fetch --feeds reads), and values of the options
    below, keyed by their long names: beams = 1, translator-model = "...", allow-private = true,
    news = "nieuws". Keys go above the first [feeds.NAME] table; relative paths are taken from the
    file's folder. An option given on the command line, or by its environment variable, wins over
    the file.

    Exit status: as nlbrief brief's (0 written or up to date; 1 an article failed or no briefing was
    written; 2 wrong usage, a bad config file, or no article of the day; 3 a model; 4 a write; 5
    another run holds a folder; 130 Ctrl-C); else 1 when a feed failed, though the briefing was
    made from what arrived.
    """
    raise typer.Exit(wiring.daily(options, given=given_options(context), settings=DAILY_SETTINGS))


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

    sys.stdout.write(wiring.segment_input(path, parse_size(max_file_size), tsv))


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
