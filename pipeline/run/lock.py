"""One run per output folder: an OS lock on ``FOLDER/.nlbrief.lock``.

Two runs writing one folder would delete each other's temp files, interleave manifest lines and
rewrite the manifest under each other. The lock is the kernel's (flock / LockFileEx), so it
vanishes with its process: a killed run never leaves a stale lock behind.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from pipeline.errors import BusyError, OutputError

LOCK_NAME = ".nlbrief.lock"

if sys.platform != "win32":
    import fcntl

    def _try_lock(handle: IO[str], wait: bool) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)

else:
    import msvcrt

    def _try_lock(handle: IO[str], wait: bool) -> bool:
        while True:
            try:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
                return True
            except OSError:
                if not wait:
                    return False
                time.sleep(0.5)

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)


class FolderLock:
    """``with FolderLock(folder, wait=False):`` holds the folder or raises BusyError naming the holder."""

    def __init__(self, folder: Path, *, wait: bool = False, on_wait: Callable[[str], None] | None = None):
        self.folder = folder
        self.wait = wait
        self.on_wait = on_wait
        self._handle: IO[str] | None = None

    def __enter__(self) -> FolderLock:
        path = self.folder / LOCK_NAME
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held open for the run
        except OSError as err:
            raise OutputError(f"cannot use {self.folder}: {err.strerror or err}; check -o") from err
        if not _try_lock(handle, wait=False):
            holder = _describe(_read_holder(path))
            if not self.wait:
                handle.close()
                raise BusyError(
                    f"{self.folder} is in use by another nlbrief run ({holder}); wait for it to finish, "
                    "pass --wait to queue behind it, or choose another -o folder"
                )
            if self.on_wait:
                self.on_wait(f"waiting for another nlbrief run on {self.folder} ({holder}) to finish")
            _try_lock(handle, wait=True)
        handle.seek(0)
        handle.truncate()
        holder_info = {"pid": os.getpid(), "since": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        handle.write(json.dumps(holder_info) + "\n")
        handle.flush()
        self._handle = handle
        return self

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            _unlock(self._handle)
            self._handle.close()
            self._handle = None


def _read_holder(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _describe(holder: dict[str, Any]) -> str:
    if "pid" not in holder:
        return "process unknown"
    return f"pid {holder['pid']}, started {holder.get('since', '?')}"
