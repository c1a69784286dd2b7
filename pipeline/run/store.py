"""Storing results: atomic writes, the run manifest, and the up-to-date check for resume.

A kill at any moment must leave either the old file or the new one, never half of one, and
a rerun must be able to tell finished work from unfinished work by looking at the disk.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import OutputError, UsageError

TEMP_PREFIX = ".nlbrief-tmp-"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str | None:
    try:
        return sha256_bytes(path.read_bytes())
    except OSError:
        return None


@functools.cache
def current_umask() -> int:
    """The process's umask, read once, at the first write, and kept."""
    # os.umask() can only be read by setting it: a file another thread creates in between would get
    # the wrong mode. Linux says it without touching it; elsewhere set-and-restore once, at first use.
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write via a temp file in the same folder, fsync, then rename over the target.

    The file gets the mode a plain ``open()`` would give it (0666 less the umask): mkstemp makes
    it 0600, which a web server or a group sharing the folder could not read.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    except OSError as err:
        raise OutputError(f"cannot write {path}: {err.strerror or err}; check the output folder") from err
    try:
        with os.fdopen(fd, "wb") as handle:
            _chmod(fd, tmp, 0o666 & ~current_umask())
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as err:
        _remove_quietly(Path(tmp))
        raise OutputError(
            f"cannot write {path}: {err.strerror or err}; free some space or choose another -o folder"
        ) from err


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def _chmod(fd: int, path: str, mode: int) -> None:
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    else:  # Windows before Python 3.13
        os.chmod(path, mode)


def _remove_quietly(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def remove_stale_temp_files(out_dir: Path) -> int:
    """Delete temp files a killed run left behind; they are never outputs. Returns how many."""
    removed = 0
    if out_dir.is_dir():
        for path in out_dir.rglob(TEMP_PREFIX + "*"):
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
    return removed


def check_output_folder(folder: Path, option: str = "-o") -> None:
    """Refuse, before any work, an output folder that is a file or lies under one."""
    for path in (folder, *folder.parents):
        if path.exists():
            if not path.is_dir():
                raise UsageError(f"{path} is a file, not a folder; choose a folder for {option}")
            return


def safe_output_path(out_dir: Path, relative: str) -> Path:
    """Join ``relative`` under ``out_dir``, refusing anything that would land outside it."""
    rel = Path(relative)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise OutputError(f"refusing output name {relative!r}: it would leave the output folder")
    target = out_dir / rel
    root = out_dir.resolve()
    if not target.resolve().is_relative_to(root):
        raise OutputError(f"refusing output name {relative!r}: it resolves outside {out_dir}")
    return target


def fingerprint(settings: dict[str, Any]) -> str:
    """A short stable digest of everything that changes an output (model, revision, decoding...)."""
    canonical = json.dumps(settings, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


class Manifest:
    """``manifest.jsonl``: one JSON line per input, saying how its output was made.

    During a run each finished input's line is appended and fsynced (a kill loses nothing
    finished); at the end of a run ``compact()`` keeps only the newest line per input. A line
    torn by a kill is ignored on reading, so the manifest never blocks a rerun.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as handle:
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as err:
            raise OutputError(f"cannot append to {self.path}: {err.strerror or err}") from err

    def records(self) -> Iterator[dict[str, Any]]:
        yield from _parse_lines(self._text())

    def _text(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def compact(self) -> int:
        """Rewrite the manifest with one line per input: its newest. Returns the lines kept.

        A line stands for its input (``source``, else ``input``) and for its output; a newer line
        for either replaces it, so a renamed input or a retried failure leaves one line. A failed
        line wrote nothing, so it keeps the ``outputs`` of the line it replaces: those files are
        still as nlbrief wrote them, and a hand edit of them is still told apart.
        """
        text = self._text()
        kept: dict[int, dict[str, Any]] = {}
        owner: dict[tuple[str, str], int] = {}
        for number, record in enumerate(_parse_lines(text)):
            keys = [("in", str(record.get("source") or record.get("input") or ""))]
            if record.get("output"):
                keys.append(("out", str(record["output"])))
            for key in keys:
                if key[1] and key in owner:
                    replaced = kept.pop(owner[key], None)
                    if replaced and replaced.get("outputs") and not record.get("outputs"):
                        record = {**record, "outputs": replaced["outputs"]}
            for key in keys:
                owner[key] = number
            kept[number] = record
        lines = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in kept.values())
        if lines != text:  # an up-to-date rerun changes nothing, so it writes nothing
            atomic_write_text(self.path, lines)
        return len(kept)

    def commands(self) -> set[str]:
        """The commands whose outputs this folder holds."""
        return {command for record in self.records() if (command := command_of(record))}

    def written(self) -> dict[str, str]:
        """The sha256 of each output as nlbrief last wrote it."""
        hashes: dict[str, str] = {}
        for record in self.records():
            if isinstance(outputs := record.get("outputs"), dict):
                hashes.update({str(path): str(digest) for path, digest in outputs.items()})
        return hashes

    def latest_ok(self) -> dict[str, dict[str, Any]]:
        """The newest successful record per output path (the same however the input was named)."""
        latest: dict[str, dict[str, Any]] = {}
        for record in self.records():
            if record.get("status") == "ok" and record.get("output"):
                latest[str(record["output"])] = record
        return latest


def _parse_lines(text: str) -> Iterator[dict[str, Any]]:
    # Only \n ends a line: JSON keeps U+0085 and U+2028 raw, and splitlines() would cut there.
    for line in text.split("\n"):
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            yield record


def command_of(record: dict[str, Any]) -> str | None:
    """The command that wrote a manifest line. Lines from before the ``command`` field are told
    by their provenance: only process records name both models, only translations no summarizer."""
    if record.get("command"):
        return str(record["command"])
    if "summarizer_model" in record:
        return "process" if "model" in record else "summarize"
    return "translate" if "model" in record else None


def refuse_other_command(manifest: Manifest, command: str, folder: Path) -> None:
    """Two commands in one folder would overwrite each other's files (``translate --format md``
    and ``process`` both write NAME.md) and replace each other's manifest lines, so that
    alternating them redoes everything: a folder belongs to the first command that wrote it."""
    others = sorted(manifest.commands() - {command})
    if others:
        raise UsageError(f"{folder} holds `nlbrief {others[0]}` outputs; choose another -o folder")


def hand_edited(written: dict[str, str], outputs: list[Path]) -> list[Path]:
    """The ``outputs`` that exist but differ from what nlbrief recorded writing (``written``, from
    Manifest.written). nlbrief's own writes are atomic, so such a file was changed since by
    someone else: it is not ours to replace without --force."""
    edited = []
    for path in outputs:
        recorded = written.get(str(path))
        current = sha256_file(path) if recorded else None
        if current is not None and current != recorded:
            edited.append(path)
    return edited


def is_up_to_date(
    previous: dict[str, Any] | None,
    *,
    sha256: str,
    fingerprint: str,
    outputs: list[Path],
    edited: list[Path] | None = None,
) -> bool:
    """True when ``previous`` made all ``outputs`` from the same content and settings, and each is
    still exactly as written (not deleted or changed since), or is one of the ``edited`` ones
    (changed by hand, which is kept)."""
    if not previous:
        return False
    if previous.get("sha256") != sha256 or previous.get("fingerprint") != fingerprint:
        return False
    recorded = previous.get("outputs") or {}
    if set(recorded) != {str(p) for p in outputs}:
        return False
    kept = set(edited or ())
    return all(path in kept or sha256_file(path) == recorded[str(path)] for path in outputs)


def plan_outputs(
    rels: list[tuple[str, str]], out_dir: Path, suffixes: tuple[str, ...]
) -> list[list[Path] | OutputError]:
    """Output paths mirroring the inputs' relative paths under ``out_dir``: per input, one path per
    suffix (the first suffix names the primary output), no clashes between inputs.

    ``rels`` holds (root, relative path) per input, in argument order: the root is the folder the
    path is relative to (a walked folder, a named file's parent). Every input's name is its
    relative path at the top of ``out_dir``, however many inputs were given, so adding an input
    never moves another's outputs. Only a name that an earlier root already has goes under its
    own root's name (``day2/a.txt`` after ``day1``'s ``a.txt``). A clash within a root (``a.txt``
    and ``a.md`` both becoming ``a.txt``) keeps the original suffix in the name (``a.md.txt``),
    then numbers. An input any of whose paths would land outside ``out_dir`` (through a link
    planted there) gets an OutputError in its place, for it alone to fail.
    """
    suffix = suffixes[0]
    first_root: dict[str, str] = {}
    wanted: list[tuple[str, str]] = []  # (prefix, name) per input
    for root, rel in rels:
        name = Path(rel).with_suffix(suffix).as_posix()
        prefix = Path(root).name if first_root.setdefault(name, root) != root else ""
        wanted.append((prefix, Path(prefix, name).as_posix()))
    counts: dict[str, int] = {}
    for _, name in wanted:
        counts[name] = counts.get(name, 0) + 1
    taken: set[str] = set()
    result: list[list[Path] | OutputError] = []
    for (_, rel), (prefix, name) in zip(rels, wanted, strict=True):
        if counts[name] > 1 and Path(rel).suffix and Path(rel).suffix != suffix:
            name = Path(prefix, rel + suffix).as_posix()
        base, number = name, 2
        while name in taken:
            name = f"{base[: -len(suffix)]}-{number}{suffix}"
            number += 1
        taken.add(name)
        try:
            result.append([safe_output_path(out_dir, name[: -len(suffix)] + other) for other in suffixes])
        except OutputError as err:
            result.append(err)
    return result
