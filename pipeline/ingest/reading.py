"""Reading one input's bytes, refused before reading when it is over the size limit.

One reader for the batch run and `nlbrief segment`, so both refuse the same inputs in the same words.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from pipeline.errors import InputError
from pipeline.ingest.discover import SourceFile


def read_input(src: SourceFile, limit: int, read_stdin: Callable[[], bytes] | None = None) -> bytes:
    """The bytes of a file, or of stdin when ``src.path`` is None. Stdin is read only up to one
    byte past the limit, so an endless pipe is refused rather than read into memory."""
    if src.path is None:
        data = read_stdin() if read_stdin else sys.stdin.buffer.read(limit + 1)
        size = len(data)
    else:
        data, size = None, _size(src.path)
    if size > limit:
        raise InputError(
            "-" if src.path is None else str(src.path),
            # stdin is read only one byte past the limit: its true size is not known
            f"is {'more than ' + megabytes(limit) if src.path is None else megabytes(size)}, "
            f"over the {megabytes(limit)} limit",
            "split it, or raise --max-file-size if it really is one article",
        )
    return data if data is not None else _read_bytes(src.path)


def megabytes(size: int) -> str:
    """A size as people read it: 2.3 KB, 1.0 MB."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the read that follows reports the problem in its own words


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise InputError(str(path), f"cannot be read ({err.strerror or err}); check its permissions") from err
