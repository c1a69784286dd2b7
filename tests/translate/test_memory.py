"""The translation memory: reruns and repeated sentences are never translated twice."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from helpers.fakes import FakeBackend

from pipeline.ingest.document import Document, Paragraph
from pipeline.run.manifest import memory_namespace
from pipeline.translate.memory import (
    FILE_NAME,
    MemoryAdapter,
    TranslationMemory,
    default_memory_path,
    normalize_sentence,
)
from pipeline.translate.results import Remembered
from pipeline.translate.translator import TranslateSettings, Translator

REPO = Path(__file__).resolve().parents[2]
FIELDS = {
    "translator": "Helsinki-NLP/opus-mt-nl-en",
    "translator_revision": "abc123",
    "backend": "torch",
    "compute_type": "float32",
    "beams": 4,
    "length_ratio": 1.5,
    "length_margin": 10,
    "schema": 1,
}
SENTENCES = [
    "Het kabinet valt.",
    "De trein rijdt niet.",
    "Lees ook: het weer.",
    "Een langere zin met wat meer woorden erin.",
]


class Warnings(list):
    def __call__(self, message: str) -> None:
        self.append(message)


def translator_with_memory(
    path: Path, fields: dict | None = None, backend: FakeBackend | None = None, **settings
) -> tuple[Translator, FakeBackend, Warnings, TranslationMemory]:
    warned = Warnings()
    memory = TranslationMemory(path, on_warning=warned)
    backend = backend or FakeBackend()
    adapter = MemoryAdapter(memory, fields or FIELDS)
    # These tests count the model's first pass; second tries at flagged sentences have their own tests.
    settings.setdefault("retry", False)
    return Translator(backend, TranslateSettings(**settings), adapter), backend, warned, memory


def plain(results) -> list[tuple[str, str, int, int]]:
    return [(r.source, r.target, r.parts, r.tokens) for r in results]


def test_a_second_run_generates_nothing_and_gives_the_same_results(tmp_path: Path) -> None:
    db = tmp_path / "tm.sqlite3"
    first, backend1, warned1, _ = translator_with_memory(db)
    results1 = first.translate_sentences(SENTENCES)
    assert backend1.batches and not any(r.cached for r in results1)

    second, backend2, warned2, _ = translator_with_memory(db)
    results2 = second.translate_sentences(SENTENCES)
    assert backend2.batches == [] and backend2.encoded == 0
    assert all(r.cached for r in results2)
    assert plain(results2) == plain(results1)
    without = Translator(FakeBackend(), TranslateSettings()).translate_sentences(SENTENCES)
    assert plain(results1) == plain(without)
    assert warned1 == warned2 == []


def test_progress_counts_only_real_work(tmp_path: Path) -> None:
    db = tmp_path / "tm.sqlite3"
    translator_with_memory(db)[0].translate_sentences(SENTENCES[:2])
    translator, _, _, _ = translator_with_memory(db)
    calls: list[tuple[int, int]] = []
    translator.translate_sentences(SENTENCES, lambda done, total: calls.append((done, total)))
    assert calls and calls[-1] == (2, 2)
    calls.clear()
    translator.translate_sentences(SENTENCES, lambda done, total: calls.append((done, total)))
    assert calls == []


def test_normalized_spellings_hit_but_case_does_not(tmp_path: Path) -> None:
    db = tmp_path / "tm.sqlite3"
    nfc = "Café in Zeeland is dicht."
    translator_with_memory(db)[0].translate_sentences([nfc])
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    spaced = "  Café   in\tZeeland\n is dicht. "

    translator, backend, _, _ = translator_with_memory(db)
    results = translator.translate_sentences([nfd, spaced])
    assert backend.batches == []
    assert [r.source for r in results] == [nfd, spaced]  # sources stay as given
    assert all(r.cached and r.target == "CAFÉ IN ZEELAND IS DICHT." for r in results)

    translator.translate_sentences(["café in zeeland is dicht."])
    assert sum(rows for rows, _, _ in backend.batches) == 1  # another case is another sentence


def test_normalize_sentence() -> None:
    assert normalize_sentence(" a \u00a0 b\n\nc ") == "a b c"
    assert normalize_sentence("e\u0301") == "\u00e9"
    assert normalize_sentence("Den Haag") != normalize_sentence("den haag")


@pytest.mark.parametrize(
    "change",
    [{"translator_revision": "def456"}, {"beams": 5}, {"backend": "ctranslate2"}, {"compute_type": "int8"}],
)
def test_another_namespace_misses(tmp_path: Path, change: dict) -> None:
    db = tmp_path / "tm.sqlite3"
    translator_with_memory(db)[0].translate_sentences(SENTENCES)
    translator, backend, _, memory = translator_with_memory(db, {**FIELDS, **change})
    results = translator.translate_sentences(SENTENCES)
    assert sum(rows for rows, _, _ in backend.batches) == len(SENTENCES)
    assert not any(r.cached for r in results)
    assert memory.count() == 2 * len(SENTENCES)
    assert memory_namespace(FIELDS) != memory_namespace({**FIELDS, **change})


def test_namespace_ignores_key_order() -> None:
    assert memory_namespace(dict(reversed(FIELDS.items()))) == memory_namespace(FIELDS)


def test_partial_overlap_only_translates_the_new_sentences(tmp_path: Path) -> None:
    db = tmp_path / "tm.sqlite3"
    translator_with_memory(db)[0].translate_sentences(SENTENCES[:2])
    translator, backend, _, memory = translator_with_memory(db)
    results = translator.translate_sentences(SENTENCES)
    assert sum(rows for rows, _, _ in backend.batches) == 2
    assert backend.encoded == 2
    assert [r.cached for r in results] == [True, True, False, False]
    assert [r.target for r in results] == [s.upper() for s in SENTENCES]
    assert memory.count() == len(SENTENCES)


def test_order_is_kept_with_hits_misses_and_duplicates(tmp_path: Path) -> None:
    db = tmp_path / "tm.sqlite3"
    translator_with_memory(db)[0].translate_sentences(["b twee.", "d vier."])
    translator, backend, _, _ = translator_with_memory(db, batch_tokens=6)
    sentences = ["a een.", "b twee.", "a een.", "c drie drie.", "d vier.", "b  twee.", "c drie drie.", "e."]
    results = translator.translate_sentences(sentences)
    assert [r.source for r in results] == sentences
    assert [r.target for r in results] == [" ".join(s.split()).upper() for s in sentences]
    assert [r.cached for r in results] == [False, True, False, False, True, True, False, False]
    assert sum(rows for rows, _, _ in backend.batches) == 3  # a, c, e: each once


def test_a_split_sentence_is_remembered_with_its_parts_and_warning(tmp_path: Path) -> None:
    db = tmp_path / "tm.sqlite3"
    long = "een twee drie, vier vijf zes; zeven acht negen tien, elf twaalf dertien veertien vijftien."
    doc = Document("a.txt", "a.txt", "0" * 64, None, None, [Paragraph(long)])
    first, _, _, _ = translator_with_memory(db, backend=FakeBackend(max_input_tokens=8))
    [one] = first.translate_documents([doc])
    second, backend, _, _ = translator_with_memory(db, backend=FakeBackend(max_input_tokens=8))
    [two] = second.translate_documents([doc])
    assert backend.batches == []
    assert one.paragraphs[0].sentences[0].parts > 1
    assert plain(two.paragraphs[0].sentences) == plain(one.paragraphs[0].sentences)
    assert two.warnings == one.warnings and any("parts" in w for w in two.warnings)
    assert two.stats() == one.stats()


def test_work_done_before_a_failure_is_remembered(tmp_path: Path) -> None:
    class Failing(FakeBackend):
        def generate(self, batch, max_new_tokens, beams=None):
            if self.batches:
                raise RuntimeError("out of memory")
            return super().generate(batch, max_new_tokens, beams)

    db = tmp_path / "tm.sqlite3"
    translator, _, _, memory = translator_with_memory(db, backend=Failing(), batch_tokens=8)
    with pytest.raises(RuntimeError):
        translator.translate_sentences(SENTENCES)
    kept = memory.count()
    assert 1 <= kept < len(SENTENCES)  # the first batch is kept
    again, backend, _, _ = translator_with_memory(db, batch_tokens=8)
    results = again.translate_sentences(SENTENCES)
    assert sum(r.cached for r in results) == kept
    assert sum(rows for rows, _, _ in backend.batches) == len(SENTENCES) - kept
    assert [r.target for r in results] == [s.upper() for s in SENTENCES]


def test_store_keeps_the_first_translation_and_records_the_fields(tmp_path: Path) -> None:
    memory = TranslationMemory(tmp_path / "tm.sqlite3")
    ns = memory_namespace(FIELDS)
    assert memory.store(ns, {"Zin.": Remembered("SENTENCE.", 1, 2)}, FIELDS) == 1
    assert (
        memory.store(ns, {"Zin.": Remembered("OTHER.", 1, 2), "Nog.": Remembered("MORE.", 1, 2)}, FIELDS) == 1
    )
    assert memory.lookup(ns, ["Zin.", "Nog.", "Niet."]) == {
        "Zin.": Remembered("SENTENCE.", 1, 2),
        "Nog.": Remembered("MORE.", 1, 2),
    }
    with sqlite3.connect(memory.path) as conn:
        [(fields,)] = conn.execute("SELECT fields FROM namespaces").fetchall()
        [(source, created)] = conn.execute("SELECT source, created FROM translations LIMIT 1").fetchall()
    assert json.loads(fields) == FIELDS
    assert source in {"Zin.", "Nog."} and abs(created - time.time()) < 60
    assert memory.clear(ns) == 2 and memory.count() == 0


def test_lookup_queries_in_chunks(tmp_path: Path) -> None:
    memory = TranslationMemory(tmp_path / "tm.sqlite3")
    items = {f"Zin {i}.": Remembered(f"Sentence {i}.", 1, 3) for i in range(1234)}
    assert memory.store("ns", items) == 1234
    found = memory.lookup("ns", [*items, "Onbekend."])
    assert len(found) == 1234 and found["Zin 1233."].target == "Sentence 1233."


def test_opening_creates_the_folder_and_turns_wal_on(tmp_path: Path) -> None:
    db = tmp_path / "deep" / "er" / FILE_NAME
    memory = TranslationMemory(db)
    assert memory.enabled and db.is_file()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_default_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NLBRIEF_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_memory_path() == tmp_path / "home" / ".cache" / "nlbrief" / FILE_NAME
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_memory_path() == tmp_path / "xdg" / "nlbrief" / FILE_NAME
    monkeypatch.setenv("NLBRIEF_CACHE_DIR", str(tmp_path / "mine"))
    assert default_memory_path() == tmp_path / "mine" / FILE_NAME


def assert_disabled_but_translating(db: Path) -> Warnings:
    translator, backend, warned, memory = translator_with_memory(db)
    results = translator.translate_sentences(SENTENCES)  # nothing raised
    assert [r.target for r in results] == [s.upper() for s in SENTENCES]
    assert not memory.enabled and memory.lookup("ns", SENTENCES) == {} and memory.count() == 0
    assert len(warned) == 1 and "translation memory" in warned[0] and str(db) in warned[0]
    assert memory.warnings == warned
    return warned


def test_a_corrupt_database_disables_the_memory_with_a_warning(tmp_path: Path) -> None:
    db = tmp_path / FILE_NAME
    garbage = os.urandom(8192)
    db.write_bytes(garbage)
    assert_disabled_but_translating(db)
    assert db.read_bytes() == garbage  # left alone for the user to inspect


def test_a_database_from_a_newer_nlbrief_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / FILE_NAME
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 99")
    assert "newer" in assert_disabled_but_translating(db)[0]


def test_an_unusable_location_disables_the_memory_with_a_warning(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert_disabled_but_translating(blocker / "cache" / FILE_NAME)  # the folder cannot be made
    (tmp_path / "a-folder").mkdir()
    assert_disabled_but_translating(tmp_path / "a-folder")  # the database path is a folder


def test_a_read_only_database_disables_the_memory_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root, which file modes do not stop: simulate what SQLite says on a read-only disk.
    import sqlite3

    real_connect = sqlite3.connect

    def read_only(*args: object, **kwargs: object) -> sqlite3.Connection:
        connection = real_connect(*args, **kwargs)

        def refuse(action: int, *rest: object) -> int:
            writes = {sqlite3.SQLITE_INSERT, sqlite3.SQLITE_CREATE_TABLE}
            return sqlite3.SQLITE_DENY if action in writes else 0

        connection.set_authorizer(refuse)
        return connection

    monkeypatch.setattr(sqlite3, "connect", read_only)
    assert_disabled_but_translating(tmp_path / FILE_NAME)


def test_a_failure_in_the_middle_of_a_run_disables_the_memory(tmp_path: Path) -> None:
    translator, _, warned, memory = translator_with_memory(tmp_path / "tm.sqlite3")
    memory._conn.close()  # whatever breaks the connection: the disk, a lock, a bug
    results = translator.translate_sentences(SENTENCES)
    assert [r.target for r in results] == [s.upper() for s in SENTENCES]
    assert not memory.enabled and len(warned) == 1


WRITER = r"""
import sys, time
from pathlib import Path
from pipeline.translate.memory import TranslationMemory
from pipeline.translate.results import Remembered

db, name, first, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
warnings = []
memory = TranslationMemory(db, on_warning=warnings.append)
while not go.exists():
    time.sleep(0.005)
keys = [f"Zin nummer {i}." for i in range(first, first + 2000)]
for start in range(0, len(keys), 50):  # 40 short transactions, interleaving with the other writer
    memory.store("ns", {k: Remembered(f"{k} by {name}", 1, 4) for k in keys[start : start + 50]})
    memory.lookup("ns", keys[: start + 50])
found = memory.lookup("ns", keys)
assert memory.enabled and not warnings, warnings
assert len(found) == len(keys), len(found)
for key, entry in sorted(found.items()):
    print(key + "\t" + entry.target)
"""


def test_two_processes_write_the_same_database_at_once(tmp_path: Path) -> None:
    db = tmp_path / "shared" / FILE_NAME
    go = tmp_path / "go"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), name, str(first), str(go)],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, first in (("A", 0), ("B", 1000))  # keys 1000-1999 are written by both
    ]
    time.sleep(0.3)  # let both open (and race to create) the database first
    go.touch()
    outputs = [proc.communicate(timeout=120) for proc in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert err == ""

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        rows = conn.execute("SELECT sentence_key, target FROM translations WHERE namespace = 'ns'").fetchall()
    final = dict(rows)
    assert len(rows) == len(final) == 3000
    assert set(final) == {f"Zin nummer {i}." for i in range(3000)}
    for out, _ in outputs:
        seen = dict(line.split("\t") for line in out.splitlines())
        assert len(seen) == 2000
        assert all(final[key] == target for key, target in seen.items())  # never changed once written
        assert all(target.startswith(key + " by ") for key, target in seen.items())
    # both wrote: a key written by only one process holds that process's translation
    assert final["Zin nummer 0."].endswith("by A") and final["Zin nummer 2999."].endswith("by B")


OPENER = r"""
import sys
from pathlib import Path
from pipeline.translate.memory import TranslationMemory
from pipeline.translate.results import Remembered

go = Path(sys.argv[2])
while not go.exists():  # spin, not sleep: the opens must start within microseconds of each other
    pass
warnings = []
memory = TranslationMemory(sys.argv[1], on_warning=warnings.append)
print("ok" if memory.enabled and not warnings else warnings)
"""


def test_runs_opening_a_new_memory_at_once_all_get_it(tmp_path: Path) -> None:
    """Opening races to switch a new database to WAL, where SQLite says "locked" without waiting;
    before the open retried, about one opener in ten ran without the memory."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    answers = []
    for round_ in range(8):
        db, go = tmp_path / f"round-{round_}" / FILE_NAME, tmp_path / f"go-{round_}"
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", OPENER, str(db), str(go)],
                cwd=REPO,
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(5)
        ]
        time.sleep(0.4)  # all imported and spinning
        go.touch()
        answers += [proc.communicate(timeout=60)[0].strip() for proc in procs]
    assert answers == ["ok"] * 40
