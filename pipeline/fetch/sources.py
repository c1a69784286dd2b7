"""What `nlbrief fetch` is asked to fetch: URLs (feeds or article pages), OPML files of feeds, and
``--feeds FILE`` (TOML, one table per feed), as a list of FeedSpec.

A mistake in the user's own files (a missing url, an unknown key, an OPML that is not XML) is a usage
error naming the file and the fix, found before anything is fetched.
"""

from __future__ import annotations

import fnmatch
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipeline.errors import FetchError, UsageError
from pipeline.fetch.feeds import FeedItem, refuse_xml_tricks

FEED_KEYS = ("url", "name", "include", "exclude")


@dataclass(frozen=True, kw_only=True)
class FeedSpec:
    """One source: a URL (a feed or an article page, told apart by what it answers), the outlet's name
    when the user gave one, and glob patterns matched, without regard to case, against each item's title
    and URL: an item is taken when it matches an ``include`` pattern (or there are none) and no
    ``exclude`` pattern."""

    url: str
    name: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def wants(self, item: FeedItem) -> bool:
        fields = [item.title.lower(), (item.url or "").lower()]

        def hit(patterns: tuple[str, ...]) -> bool:
            return any(fnmatch.fnmatchcase(field, p.lower()) for p in patterns for field in fields)

        return (not self.include or hit(self.include)) and not hit(self.exclude)


def plan_sources(
    sources: Iterable[str], feeds_files: Iterable[Path], listed: Iterable[FeedSpec] = ()
) -> list[FeedSpec]:
    """The sources in the order given (``listed``: feeds read already, as a config file's), each URL
    once (the first mention wins)."""
    specs: list[FeedSpec] = list(listed)
    for path in feeds_files:
        specs += feeds_in_toml(path)
    for source in sources:
        if urlsplit(source).scheme.lower() in ("http", "https"):
            specs.append(FeedSpec(url=source))
        elif Path(source).is_file():
            specs += feeds_in_opml(Path(source))
        else:
            # file:, ftp: and the like go to the HTTP client, which refuses them in one line
            specs.append(FeedSpec(url=source))
    unique: dict[str, FeedSpec] = {}
    for spec in specs:
        unique.setdefault(spec.url, spec)
    return list(unique.values())


def feeds_in_toml(path: Path) -> list[FeedSpec]:
    """``--feeds FILE``: ``[nos]`` / ``url = "..."`` / ``name = "NOS"`` / ``include = ["*politiek*"]``."""
    fix = f"fix {path}: one table per feed, with url and optionally name, include and exclude"
    try:
        tables = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise UsageError(f"cannot read --feeds {path}: {err.strerror or err}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise UsageError(f"--feeds {path} is not valid TOML ({err}); {fix}") from None
    return feeds_in_tables(tables, f"--feeds {path}", fix)


def feeds_in_tables(tables: dict[str, Any], where: str, fix: str) -> list[FeedSpec]:
    """The feeds of TOML tables read already (``--feeds FILE``'s, or a config file's ``[feeds]``);
    ``where`` names them in an error, which ends with ``fix``."""
    specs = []
    for label, table in tables.items():
        if not isinstance(table, dict):
            raise UsageError(f"{where}: {label!r} is not a table; {fix}")
        specs.append(_spec(table, f"{where}, [{label}]", fix))
    if not specs:
        raise UsageError(f"{where} names no feed; {fix}")
    return specs


def _spec(table: dict[str, Any], where: str, fix: str) -> FeedSpec:
    unknown = sorted(set(table) - set(FEED_KEYS))
    if unknown:
        raise UsageError(f"{where}: unknown key {unknown[0]!r}; the keys are {', '.join(FEED_KEYS)}")
    url, name = table.get("url"), table.get("name")
    if not isinstance(url, str) or not url.strip():
        raise UsageError(f"{where} has no url; {fix}")
    if name is not None and not isinstance(name, str):
        raise UsageError(f"{where}: name must be text; {fix}")
    return FeedSpec(
        url=url.strip(), name=name, include=_patterns(table, "include", where),
        exclude=_patterns(table, "exclude", where),
    )  # fmt: skip


def _patterns(table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    value = [value] if isinstance(value, str) else value
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f'{where}: {key} must be a list of glob patterns, such as ["*brand*"]')
    return tuple(value)


def feeds_in_opml(path: Path) -> list[FeedSpec]:
    """The feeds (``<outline xmlUrl=...>``) of an OPML file, named by their ``title`` or ``text``."""
    from xml.etree import ElementTree

    fix = (
        "pass an OPML file of feeds (as feed readers export them), a feed URL or an article URL "
        "(a TOML file of feeds goes after --feeds)"
    )
    try:
        data = path.read_bytes()
        refuse_xml_tricks(data, str(path))
        root = ElementTree.fromstring(data)
    except OSError as err:
        raise UsageError(f"cannot read {path}: {err.strerror or err}") from None
    except FetchError as err:
        raise UsageError(f"{path}: {err.reason}") from None
    except ElementTree.ParseError as err:
        raise UsageError(f"{path} is not an OPML file (not XML: {err}); {fix}") from None
    specs = [
        FeedSpec(url=url.strip(), name=outline.get("title") or outline.get("text") or None)
        for outline in root.iter("outline")
        if (url := outline.get("xmlUrl"))
    ]
    if root.tag != "opml" or not specs:
        raise UsageError(f"{path} is not an OPML file of feeds (no <outline xmlUrl=...>); {fix}")
    return specs
