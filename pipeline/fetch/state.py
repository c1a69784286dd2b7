"""What earlier runs of `nlbrief fetch` saw, in one SQLite file in the output folder
(``.nlbrief-fetch.sqlite3``, hidden, so that `nlbrief translate DIR` never reads it).

* feeds: each feed's ETag and Last-Modified, sent back as If-None-Match and If-Modified-Since, so an
  unchanged feed costs one 304;
* items: each item seen, by feed and id, with its URL (without fragment or utm_ parameters), a digest of
  what the feed said about it (a change means the item changed), a digest of the text written (an
  article moved to another URL, or published again under a new id, is not written twice), the file
  written and the page's own validators.

One owner: the run that holds the folder's lock (pipeline/run/lock.py). Each article's row is committed
as soon as its file is written, so a killed run keeps what it wrote. Without this file, nothing could
tell new from old, so one that cannot be read stops the run with the fix rather than writing everything
again.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pipeline.errors import OutputError

STATE_NAME = ".nlbrief-fetch.sqlite3"
SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, checked TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS items (
    feed TEXT NOT NULL, key TEXT NOT NULL, url TEXT, version TEXT NOT NULL, content_hash TEXT,
    path TEXT, status TEXT NOT NULL, etag TEXT, last_modified TEXT, seen TEXT NOT NULL,
    PRIMARY KEY (feed, key)
);
CREATE INDEX IF NOT EXISTS items_by_url ON items (url);
CREATE INDEX IF NOT EXISTS items_by_text ON items (content_hash);
"""


@dataclass(frozen=True)
class Validators:
    """What a server said to recognise its answer again (ETag, Last-Modified)."""

    etag: str | None
    last_modified: str | None

    def headers(self) -> dict[str, str]:
        sent = {"If-None-Match": self.etag, "If-Modified-Since": self.last_modified}
        return {name: value for name, value in sent.items() if value}


@dataclass(frozen=True, kw_only=True)
class Seen:
    """An item as a run left it. ``status``: "written", "not dutch" (not written, not asked for again)."""

    feed: str  # "" for an article URL given directly
    key: str
    url: str | None
    version: str
    content_hash: str | None
    path: str | None  # the file written, relative to the folder
    status: str
    etag: str | None
    last_modified: str | None

    @property
    def validators(self) -> Validators:
        return Validators(self.etag, self.last_modified)


def normal_url(url: str) -> str:
    """A URL as the state compares it: no fragment, no utm_ tracking parameters, scheme and host lower."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.startswith("utm_")]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, urlencode(query), ""))


def utc_now() -> str:
    """Now, as the state and the article files write it: ISO, UTC, to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class FetchState:
    """The state file of one output folder; ``with FetchState(folder) as state:``."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / STATE_NAME
        fix = f"move {self.path} away (the next run then writes again every article its feeds still list)"
        try:
            self._conn = sqlite3.connect(self.path, isolation_level=None)
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise OutputError(f"{self.path} is from a newer nlbrief (format {version}); update nlbrief")
            self._conn.executescript(_SCHEMA + f"PRAGMA user_version = {SCHEMA_VERSION};")
        except sqlite3.Error as err:
            raise OutputError(f"{self.path} cannot be read as nlbrief's fetch state ({err}); {fix}") from None

    def __enter__(self) -> FetchState:
        return self

    def __exit__(self, *exc: object) -> None:
        self._conn.close()

    def feed_validators(self, url: str) -> Validators | None:
        """The validators of a feed fetched before (None: never fetched as a feed)."""
        row = self._conn.execute("SELECT etag, last_modified FROM feeds WHERE url = ?", (url,)).fetchone()
        return None if row is None else Validators(row[0], row[1])

    def save_feed(self, url: str, validators: Validators) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO feeds VALUES (?, ?, ?, ?)",
            (url, validators.etag, validators.last_modified, utc_now()),
        )

    def seen(self, feed: str, key: str, url: str | None) -> Seen | None:
        """The item by its feed and id, else any item of that URL (an article in two feeds, or
        re-published under a new id)."""
        found = self._one("feed = ? AND key = ?", (feed, key))
        if found is None and url:
            found = self._one("url = ?", (normal_url(url),))
        return found

    def with_text(self, content_hash: str) -> Seen | None:
        """An article written before with this very text (moved to another URL, or published again)."""
        return self._one("content_hash = ? AND path IS NOT NULL", (content_hash,))

    def paths(self) -> set[str]:
        return {row[0] for row in self._conn.execute("SELECT path FROM items WHERE path IS NOT NULL")}

    def remember(self, seen: Seen) -> None:
        """Record ``seen`` (replacing the row of the same feed and key), committed at once."""
        row = astuple(seen)[:2] + (normal_url(seen.url) if seen.url else None,) + astuple(seen)[3:]
        self._conn.execute(
            "INSERT OR REPLACE INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (*row, utc_now())
        )

    def _one(self, where: str, values: tuple[str, ...]) -> Seen | None:
        names = [f.name for f in fields(Seen)]
        query = f"SELECT {', '.join(names)} FROM items WHERE {where} ORDER BY seen DESC LIMIT 1"
        row = self._conn.execute(query, values).fetchone()
        return None if row is None else Seen(**dict(zip(names, row, strict=True)))
