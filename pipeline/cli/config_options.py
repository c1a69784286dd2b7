"""``nlbrief daily``'s options, and the config file keys they become.

Every option of daily is also a key of its config file, spelled as its long name without the dashes
(``translator-model``, ``beams``, ``allow-private``): :func:`settings_of` reads the keys, types and
bounds from the options' declarations, so the file and the command line share one list.
"""

from __future__ import annotations

import inspect
import types
import typing
from pathlib import Path
from typing import Annotated

import typer
from typer.models import OptionInfo

from pipeline.cli.options import (
    BRIEFING,
    FETCH_POLICY,
    RUN,
    RUNTIME,
    SUMMARIZER,
    TRANSLATOR,
    _parameter,
    output,
)
from pipeline.fetch.writer import DEFAULT_NEWS_DIR
from pipeline.run.contracts import DEFAULT_OUTPUT
from pipeline.run.settings import Setting

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        show_default="nlbrief.toml in the working folder",
        help="The config file: the feeds, and values of the options below (see above).",
    ),
]
TodayOption = Annotated[
    str | None,
    typer.Option(
        "--date", metavar="YYYY-MM-DD", show_default="today in --timezone", help="The day to brief."
    ),
]
TimezoneOption = Annotated[
    str | None,
    typer.Option(
        "--timezone",
        metavar="ZONE",
        show_default="the machine's",
        help="The time zone whose today is briefed, e.g. Europe/Amsterdam.",
    ),
]
NewsOption = Annotated[
    Path,
    typer.Option(
        "--news", metavar="DIR", help="Where the fetched Dutch articles are written, and briefed from."
    ),
]


DAILY = [
    _parameter("config", ConfigOption, None),
    _parameter("date", TodayOption, None),
    _parameter("timezone", TimezoneOption, None),
    _parameter("news", NewsOption, Path(DEFAULT_NEWS_DIR)),
]
DAILY_GROUPS = (
    DAILY, output(DEFAULT_OUTPUT["brief"]), BRIEFING, FETCH_POLICY, TRANSLATOR, SUMMARIZER, RUNTIME, RUN
)  # fmt: skip
# Not config keys: the file is named on the command line, and a day written in it would brief that day
# every day.
_COMMAND_LINE_ONLY = {"config", "date"}


def settings_of(*groups: list[inspect.Parameter]) -> dict[str, Setting]:
    """The config file keys of these groups' options: each option's long name, its type and bounds."""
    found = {}
    for parameter in (p for group in groups for p in group):
        kind, info = typing.get_args(parameter.annotation)[:2]
        if not isinstance(info, OptionInfo) or parameter.name in _COMMAND_LINE_ONLY:
            continue
        # In Annotated, typer takes an Option's first positional (its `default`) as its first name.
        names = [str(d) for d in (info.default, *(info.param_decls or ())) if isinstance(d, str)]
        long_names = [d.split("/")[0] for d in names if d.startswith("--")]
        key = long_names[0].removeprefix("--") if long_names else parameter.name.replace("_", "-")
        many = False
        if isinstance(kind, types.UnionType):  # X | None: the None is "not given"
            kind = next(k for k in typing.get_args(kind) if k is not type(None))
        if typing.get_origin(kind) is list:
            many, kind = True, typing.get_args(kind)[0]
        found[key] = Setting(name=parameter.name, kind=kind, many=many, minimum=info.min, maximum=info.max)
    return found


DAILY_SETTINGS = settings_of(*DAILY_GROUPS)


# The running command's click context, for given_options (typer hands it to a parameter of this type).
CONTEXT = [inspect.Parameter("context", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)]


def given_options(context: typer.Context) -> set[str]:
    """The command's options that the user gave, on the command line or by an environment variable:
    a config file's value does not replace them."""
    given = {"COMMANDLINE", "ENVIRONMENT"}
    return {
        name for name in context.params if getattr(context.get_parameter_source(name), "name", "") in given
    }
