"""A translation memory: every sentence translated once per model and settings, across runs.

After argos-translate's "cache as a wrapper": the translator asks the memory before it encodes
anything and tells it what it generated; the memory knows nothing of models or batches. Entries
live in one SQLite database (stdlib ``sqlite3``), keyed by

* a namespace: a digest of everything that changes the words produced (model and revision,
  backend, compute type as resolved for the device, decoding settings, nlbrief's output schema),
  given by the caller (``memory_namespace``, pipeline/run/manifest.py, which lists what enters it);
* the sentence, normalized: Unicode NFC, runs of whitespace as one space, stripped. Case is
  kept: it changes translations.

Several runs may share one database at once: WAL journal, a busy timeout, short transactions
(one per store) and ``INSERT OR IGNORE``, so two runs storing the same sentence both succeed and
the first translation stays. The memory is a convenience, never a point of failure: a corrupt,
unreadable or unwritable database gives one warning and the memory is off for the rest of the
run; nothing here raises into the pipeline.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pipeline.checks.findings import findings_from_json, findings_to_json
from pipeline.models.locate import nlbrief_cache_dir
from pipeline.run.manifest import MEMORY_SCHEMA, memory_namespace
from pipeline.translate.results import Remembered
from pipeline.translate.retry import Retry

FILE_NAME = "translation-memory.sqlite3"
CHUNK = 500  # sentences per lookup query (well under SQLite's bound-parameter limit)
BUSY_TIMEOUT_MS = 30_000

_SPACE = re.compile(r"\s+")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    namespace TEXT NOT NULL,
    sentence_key TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    parts INTEGER NOT NULL,
    tokens INTEGER NOT NULL,
    created INTEGER NOT NULL,
    checks TEXT NOT NULL,
    PRIMARY KEY (namespace, sentence_key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS namespaces (
    namespace TEXT PRIMARY KEY,
    fields TEXT NOT NULL,
    created INTEGER NOT NULL
) WITHOUT ROWID;
"""


def default_memory_path() -> Path:
    """In nlbrief's cache folder (``$NLBRIEF_CACHE_DIR``, else ``~/.cache/nlbrief``)."""
    return nlbrief_cache_dir() / FILE_NAME


def normalize_sentence(text: str) -> str:
    """The memory's key for a sentence: NFC, whitespace collapsed, stripped; case kept."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _stderr_warning(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr, flush=True)


class TranslationMemory:
    """One SQLite database of translations, one connection per process.

    ``enabled`` turns False (with one warning through ``on_warning``, also kept in ``warnings``)
    as soon as anything goes wrong; from then on lookups find nothing and stores do nothing.
    """

    def __init__(self, path: Path | str, on_warning: Callable[[str], None] | None = None) -> None:
        self.path = Path(path)
        self.on_warning = _stderr_warning if on_warning is None else on_warning
        self.warnings: list[str] = []
        self.enabled = True
        self._conn: sqlite3.Connection | None = None
        self._pid = os.getpid()
        self._connect()

    # -- connection -------------------------------------------------------------------------

    def _connect(self) -> None:
        # Two runs opening a new memory at once race to switch it to WAL and create the tables. SQLite
        # answers "locked" at once there, without waiting (it would deadlock otherwise), so retry.
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        pause = 0.02
        while True:
            try:
                self._open()
                return
            except sqlite3.OperationalError as err:
                locked = "locked" in str(err) or "busy" in str(err)
                if not locked or time.monotonic() + pause > deadline:
                    self._disable("cannot be opened", err)
                    return
                self.close()
                time.sleep(pause)
                pause = min(pause * 2, 0.5)
            except (OSError, sqlite3.Error) as err:
                self._disable("cannot be opened", err)
                return

    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn = self._conn
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > MEMORY_SCHEMA:
            self._disable("is from a newer nlbrief", f"format {version}; this one reads {MEMORY_SCHEMA}")
            return
        if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
            raise sqlite3.OperationalError("cannot switch the journal to WAL mode")
        # Safe with WAL: a power cut may lose the last commits, never the database.
        conn.execute("PRAGMA synchronous = NORMAL")
        if version < MEMORY_SCHEMA:
            self._write(self._create_schema)

    @staticmethod
    def _create_schema(conn: sqlite3.Connection) -> None:
        # Format 1 kept no checks: its rows are of namespaces no nlbrief of this format looks up (the
        # format enters the namespace), so they go, and the table is made anew with the checks column.
        conn.execute("DROP TABLE IF EXISTS translations")
        conn.execute("DELETE FROM namespaces") if _has_table(conn, "namespaces") else None
        for statement in filter(str.strip, _SCHEMA.split(";")):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {MEMORY_SCHEMA}")

    def _write(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        """``work`` in one short write transaction; the write lock is taken (or waited for) up front."""
        conn = self._conn
        assert conn is not None
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = work(conn)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise
        return result

    def _connection(self) -> sqlite3.Connection | None:
        if self.enabled and self._pid != os.getpid():  # forked: a connection must not cross a fork
            self._conn, self._pid = None, os.getpid()
            self._connect()
        return self._conn if self.enabled else None

    def _disable(self, what: str, err: object) -> None:
        self.close()
        if not self.enabled:
            return
        self.enabled = False
        message = f"translation memory {self.path} {what} ({err}); translating without it this run"
        self.warnings.append(message)
        with contextlib.suppress(Exception):  # a broken reporter must not break translation either
            self.on_warning(message)

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- entries ----------------------------------------------------------------------------

    def lookup(self, namespace: str, sentences: Iterable[str]) -> dict[str, Remembered]:
        """Remembered translations of those ``sentences`` the memory holds, keyed as given."""
        keys: dict[str, list[str]] = {}
        for sentence in sentences:
            keys.setdefault(normalize_sentence(sentence), []).append(sentence)
        conn = self._connection()
        if conn is None or not keys:
            return {}
        found: dict[str, Remembered] = {}
        wanted = list(keys)
        try:
            for start in range(0, len(wanted), CHUNK):
                chunk = wanted[start : start + CHUNK]
                rows = conn.execute(
                    "SELECT sentence_key, target, parts, tokens, checks FROM translations "
                    f"WHERE namespace = ? AND sentence_key IN ({','.join('?' * len(chunk))})",
                    [namespace, *chunk],
                ).fetchall()
                for key, target, parts, tokens, checks in rows:
                    for sentence in keys[key]:
                        found[sentence] = _remembered(target, parts, tokens, checks)
        except (sqlite3.Error, ValueError, TypeError) as err:
            self._disable("cannot be read", err)
            return {}
        return found

    def store(
        self,
        namespace: str,
        items: Mapping[str, Remembered],
        fields: Mapping[str, Any] | None = None,
    ) -> int:
        """Remember translations (sentence -> Remembered: the translation, its parts and tokens, its
        findings and both tries when there were two) in one short transaction.

        A sentence already remembered keeps its first translation (INSERT OR IGNORE), so runs
        storing the same sentences at once all succeed. ``fields``, when given, are recorded once
        per namespace so that a database can be inspected. Returns how many rows were added.
        """
        conn = self._connection()
        if conn is None or not items:
            return 0
        now = int(time.time())
        rows = []
        for sentence, item in items.items():
            key = normalize_sentence(sentence)
            rows.append(
                (namespace, key, key, item.target, int(item.parts), int(item.tokens), now, _checks(item))
            )

        def insert(conn: sqlite3.Connection) -> int:
            before = conn.total_changes
            conn.executemany("INSERT OR IGNORE INTO translations VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            added = conn.total_changes - before
            if fields is not None:
                described = json.dumps(dict(fields), sort_keys=True, ensure_ascii=False, default=str)
                conn.execute("INSERT OR IGNORE INTO namespaces VALUES (?, ?, ?)", (namespace, described, now))
            return added

        try:
            return int(self._write(insert))
        except sqlite3.Error as err:
            self._disable("cannot be written", err)
            return 0

    def count(self, namespace: str | None = None) -> int:
        """Entries in all (or in one namespace)."""
        conn = self._connection()
        if conn is None:
            return 0
        where, args = (" WHERE namespace = ?", (namespace,)) if namespace is not None else ("", ())
        try:
            return int(conn.execute(f"SELECT count(*) FROM translations{where}", args).fetchone()[0])
        except sqlite3.Error as err:
            self._disable("cannot be read", err)
            return 0

    def clear(self, namespace: str | None = None) -> int:
        """Forget every entry (or one namespace's); returns how many were removed."""
        if self._connection() is None:
            return 0
        where, args = (" WHERE namespace = ?", (namespace,)) if namespace is not None else ("", ())

        def delete(conn: sqlite3.Connection) -> int:
            removed = conn.execute(f"DELETE FROM translations{where}", args).rowcount
            conn.execute(f"DELETE FROM namespaces{where}", args)
            return removed

        try:
            return int(self._write(delete))
        except sqlite3.Error as err:
            self._disable("cannot be written", err)
            return 0


def _checks(item: Remembered) -> str:
    """A remembered sentence's findings and tries as JSON, with the checks version that made them."""
    return json.dumps(
        {
            "version": item.checks_version,
            "findings": findings_to_json(item.findings),
            "retry": item.retry.to_dict() if item.retry else None,
            "retry_skipped": item.retry_skipped,
            "pieces": [list(piece) for piece in item.pieces],
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def _remembered(target: object, parts: object, tokens: object, checks: object) -> Remembered:
    """A row read back; checks that cannot be read count as made by no version, so they are redone."""
    try:
        data = json.loads(str(checks))
    except ValueError:
        data = {}
    data = data if isinstance(data, dict) else {}
    version = data.get("version")
    return Remembered(
        str(target),
        int(str(parts)),
        int(str(tokens)),
        findings=tuple(findings_from_json(data.get("findings"))),
        retry=Retry.from_dict(data.get("retry")),
        checks_version=version if isinstance(version, int) else 0,
        retry_skipped=data.get("retry_skipped") is True,
        pieces=_pieces(data.get("pieces")),
    )


def _pieces(data: object) -> tuple[tuple[str, str], ...]:
    items = data if isinstance(data, list) else []
    return tuple((str(p[0]), str(p[1])) for p in items if isinstance(p, list) and len(p) == 2)


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
    return conn.execute(query, (name,)).fetchone() is not None


class MemoryAdapter:
    """A TranslationMemory seen through one namespace: the translator's ``SentenceMemory``.

    ``fields`` are everything that changes the output, e.g.
    ``{**lazy_translator.fingerprint_fields(), "schema": OUTPUT_SCHEMA}``.
    """

    def __init__(self, memory: TranslationMemory, fields: Mapping[str, Any]) -> None:
        self.memory = memory
        self.fields = dict(fields)
        self.namespace = memory_namespace(self.fields)
        self.hits = 0
        self.stored = 0

    def get(self, sentences: Sequence[str]) -> dict[str, Remembered]:
        found = self.memory.lookup(self.namespace, sentences)
        self.hits += len(found)
        return found

    def put(self, entries: Mapping[str, Remembered]) -> None:
        self.stored += self.memory.store(self.namespace, entries, self.fields)
