"""``nlbrief daily``'s config file and its day: ``nlbrief.toml`` (in the working folder, or ``--config
FILE``) holds the feeds and the values of daily's own options, so that a crontab line is one short
command; the day is today in the configured time zone.

The file's keys are the command's long option names (pipeline/run/settings.py checks them); its feeds are
``[feeds.NAME]`` tables of the shape ``nlbrief fetch --feeds FILE`` reads, read by the same reader, or
``feeds = "FILE"``, such a file itself.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import UsageError
from pipeline.fetch.sources import FeedSpec, feeds_in_tables, feeds_in_toml
from pipeline.run.settings import Setting, read_settings

CONFIG_NAME = "nlbrief.toml"
FEEDS_KEY = "feeds"


@dataclass(frozen=True, kw_only=True)
class DailyConfig:
    path: Path
    values: dict[str, Any]  # option values by parameter name
    feeds: tuple[FeedSpec, ...]

    def merged(self, options: Mapping[str, Any], given: set[str]) -> dict[str, Any]:
        """The command's options, the file's values in place of those the user did not give (on the
        command line or by an environment variable)."""
        return {**options, **{name: v for name, v in self.values.items() if name not in given}}


def read_config(path: Path | None, settings: Mapping[str, Setting]) -> DailyConfig:
    """``--config FILE``, else nlbrief.toml in the working folder; keys are the ``settings``' names."""
    if path is None and not Path(CONFIG_NAME).is_file():
        raise UsageError(
            f"no {CONFIG_NAME} in {Path.cwd()}; write one there (its feeds as [feeds.NAME] tables with a "
            "url) or pass --config FILE"
        )
    path = path or Path(CONFIG_NAME)
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise UsageError(f"cannot read --config {path}: {err.strerror or err}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise UsageError(f"{path} is not valid TOML ({err}); fix the line it names") from None
    specs = _feeds(path, table.pop(FEEDS_KEY, None))
    valid = {**settings, FEEDS_KEY: Setting(name=FEEDS_KEY, kind=dict)}
    values = read_settings(table, valid, where=str(path), base=path.parent)
    return DailyConfig(path=path, values=values, feeds=tuple(specs))


def _feeds(path: Path, feeds: Any) -> list[FeedSpec]:
    """The [feeds.NAME] tables, or ``feeds = "FILE"``: fetch's --feeds file, shared with it."""
    fix = (
        f"fix {path}: one [{FEEDS_KEY}.NAME] table per feed, with url and optionally name, include, "
        f'exclude; or {FEEDS_KEY} = "FILE", a feeds file as nlbrief fetch --feeds reads'
    )
    if isinstance(feeds, str):
        return feeds_in_toml(path.parent / Path(feeds).expanduser())
    if not isinstance(feeds, dict):
        raise UsageError(f"{path} names no feeds; {fix}")
    return feeds_in_tables(feeds, f"{path} [{FEEDS_KEY}]", fix)


def today(timezone: str | None, now: dt.datetime | None = None) -> str:
    """The day (YYYY-MM-DD) it is ``now`` (default: now) in ``timezone`` (an IANA name such as
    Europe/Amsterdam; None: the machine's own)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    moment = now or dt.datetime.now(dt.UTC)
    if timezone is None:
        return moment.astimezone().date().isoformat()
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            f"timezone {timezone!r} is not a time zone; name one as Europe/Amsterdam does (an IANA name)"
        ) from None
    return moment.astimezone(zone).date().isoformat()
