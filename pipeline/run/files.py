"""Writing outputs: atomic writes, their digests, and where outputs may go.

A kill at any moment must leave either the old file or the new one, never half of one (the
manifest, pipeline/run/manifest.py, then tells finished work from unfinished work).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import tempfile
from pathlib import Path

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
