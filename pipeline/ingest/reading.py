"""Reading one input's bytes, refused before reading when it is over the size limit.

The one reader of inputs (the batch run, `nlbrief segment`, the briefing's look at the articles' days),
so all refuse the same inputs in the same words.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from pipeline.errors import InputError
from pipeline.ingest.discover import SourceFile


def read_input(src: SourceFile, limit: int, read_stdin: Callable[[], bytes] | None = None) -> bytes:
    """The bytes of a file, or of stdin when ``src.path`` is None. Stdin is read only up to one
    byte past the limit, so an endless pipe is refused rather than read into memory. Every problem
    the user can fix raises InputError naming the input."""
    if src.path is None:
        data = _read_bytes("-", read_stdin or (lambda: sys.stdin.buffer.read(limit + 1)))
        if len(data) > limit:  # its true size is not known
            raise _over_limit("-", f"more than {megabytes(limit)}", limit)
        return data
    size = _size(src.path)
    if size > limit:
        raise _over_limit(str(src.path), megabytes(size), limit)
    return _read_bytes(str(src.path), src.path.read_bytes)


def _over_limit(name: str, size: str, limit: int) -> InputError:
    return InputError(
        name,
        f"is {size}, over the {megabytes(limit)} limit",
        "split it, or raise --max-file-size if it really is one article",
    )


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


def _read_bytes(name: str, read: Callable[[], bytes]) -> bytes:
    try:
        return read()
    except FileNotFoundError:
        raise InputError(name, "no such file or folder; check the path") from None
    except IsADirectoryError:
        raise InputError(name, "is a folder, not a file", "pass a .txt or .md file") from None
    except PermissionError as err:
        raise InputError(name, f"cannot be read ({err.strerror}); check its permissions") from None
    except OSError as err:
        raise InputError(
            name, f"cannot be read ({err.strerror or err}); check the file and try again"
        ) from None
