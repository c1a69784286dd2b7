"""Finding the articles to read: command-line paths become SourceFiles.

Nothing is left out silently: every path either becomes a SourceFile, becomes a
problem (an InputError the caller reports), or is counted in one of the
``ignored_*`` fields of the Discovery so the caller can say how many were left out.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

from pipeline.errors import InputError

# Saved web pages: their article is extracted (pipeline/ingest/html.py), whatever surrounds it.
PAGE_SUFFIXES: tuple[str, ...] = (".html", ".htm")
DEFAULT_INCLUDE: tuple[str, ...] = ("*.txt", "*.md", *(f"*{suffix}" for suffix in PAGE_SUFFIXES))
STDIN = "-"
# Documents that are not plain text, by suffix: read as text, an RTF file would be translated control
# words and all, and the others are refused as binary with advice that does not say what to do.
NOT_TEXT: dict[str, str] = {
    ".rtf": "an RTF document",
    ".doc": "a Word document",
    ".docx": "a Word document",
    ".odt": "an OpenDocument text",
    ".pdf": "a PDF document",
}


@dataclass(frozen=True)
class SourceFile:
    """One article to read; ``path`` is None for stdin.

    ``rel`` (posix) becomes Document.id: the path under the folder that was walked,
    the file name for a file named directly, or "stdin". ``root`` is the folder
    ``rel`` is relative to (the parent folder for a file named directly; None for
    stdin), so ``root / rel == path``.
    """

    path: Path | None
    root: Path | None
    rel: str


@dataclass
class Discovery:
    """What ``discover`` found.

    The counts are of directory entries: a hidden or excluded folder counts once
    and is not looked into. Symlinked folders inside a walked folder are not
    followed (they could loop) and are counted in ``ignored_links``.
    """

    files: list[SourceFile] = field(default_factory=list)
    problems: list[InputError] = field(default_factory=list)
    ignored_hidden: int = 0
    ignored_by_pattern: int = 0
    ignored_links: int = 0
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    walked: bool = False  # a folder was walked, so the include patterns were tried
    include_matched: set[str] = field(default_factory=set)

    def notes(self) -> list[str]:
        """One line per kind of left-out entry, for the caller to show the user."""
        notes = []
        if n := self.ignored_by_pattern:
            # Only exclude patterns can leave out a folder; include patterns match files.
            kind = "files or folders" if self.exclude else "files"
            what = f"not matching {', '.join(self.include)}"
            if self.exclude:
                what += f" or matching {', '.join(self.exclude)}"
            notes.append(f"{_count(n, kind)} {what} {_were(n)} ignored")
        if n := self.ignored_hidden:
            notes.append(
                f"{_count(n, 'hidden files or folders')} (name starting with '.') {_were(n)} ignored"
            )
        if n := self.ignored_links:
            notes.append(
                f"{_count(n, 'symbolic links to folders')} {_were(n)} not followed; "
                "name the folder itself to include it"
            )
        for pattern in self.include if self.walked else ():
            # "--include museum" means a file named exactly that; the user almost always meant *museum*.
            if pattern not in self.include_matched and not any(c in pattern for c in "*?["):
                notes.append(
                    f"--include {pattern} matched nothing: a pattern matches a whole file name or path; "
                    f"for names containing it write --include '*{pattern}*'"
                )
        return notes


def discover(
    paths: list[str],
    include: list[str] | None,
    exclude: list[str] | None,
    skip_dirs: list[Path],
) -> Discovery:
    """Turn command-line paths into SourceFiles, in argument order.

    Folders are walked recursively in sorted (code-point) order, taking files whose
    relative posix path or name matches an ``include`` glob (when None or empty:
    DEFAULT_INCLUDE) and no ``exclude`` glob; matching ignores case so ``NOTE.TXT`` counts.
    An ``exclude`` glob that matches a folder prunes it. Hidden entries, folders in
    ``skip_dirs`` (the output folder) and symlinked folders are never entered. A file
    named directly is taken whatever its name. ``-`` is stdin. A file reached twice
    (same resolved path) is taken once, where it is first reached.
    """
    found = Discovery(
        include=_clean(include) or DEFAULT_INCLUDE,
        exclude=_clean(exclude),
    )
    skip = {_real(p) for p in skip_dirs}
    seen: set[Path | None] = set()

    def take(path: Path | None, root: Path | None, rel: str) -> None:
        key = _real(path) if path is not None else None
        if key not in seen:
            seen.add(key)
            found.files.append(SourceFile(path, root, rel))

    for raw in paths:
        if raw == STDIN:
            take(None, None, "stdin")
            continue
        path = Path(raw)
        problem = _unreadable(path)
        if problem:
            found.problems.append(InputError(raw, problem))
        elif path.is_dir():
            if _real(path) in skip:
                found.problems.append(
                    InputError(raw, "is also the output folder", "write the output to another folder")
                )
            else:
                _walk(path, path, "", found, skip, take)
        elif kind := NOT_TEXT.get(path.suffix.lower()):
            found.problems.append(not_text(raw, kind))
        else:
            # Named directly: taken whatever its suffix (a FIFO such as <(cmd) included).
            take(path, path.parent, path.name)
    return found


def not_text(name: str, kind: str) -> InputError:
    """The refusal of a document that is not plain text, with the way out."""
    return InputError(name, f"is {kind}, not plain text; save it as plain text (.txt) and pass that")


def _walk(
    folder: Path,
    root: Path,
    prefix: str,
    found: Discovery,
    skip: set[Path],
    take: Callable[[Path | None, Path | None, str], None],
) -> None:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as err:
        found.problems.append(
            InputError(str(folder), f"folder cannot be read ({err.strerror}); check its permissions")
        )
        return
    found.walked = True
    for entry in entries:
        path = Path(entry.path)
        rel = prefix + entry.name
        if entry.name.startswith("."):
            found.ignored_hidden += 1
        elif entry.is_dir(follow_symlinks=False):
            if _real(path) in skip:
                continue  # the output folder: expected to be left out, so not counted
            if _matches(rel, entry.name, found.exclude):
                found.ignored_by_pattern += 1
            else:
                _walk(path, root, rel + "/", found, skip, take)
        elif entry.is_symlink() and os.path.isdir(path):  # isdir: no OSError on link loops
            found.ignored_links += 1
        elif not _included(rel, entry.name, found) or _matches(rel, entry.name, found.exclude):
            found.ignored_by_pattern += 1
        elif problem := _unreadable(path):
            found.problems.append(InputError(str(path), problem))
        elif kind := NOT_TEXT.get(path.suffix.lower()):  # only an --include can have let it in
            found.problems.append(not_text(str(path), kind))
        elif not os.path.isfile(path):
            found.problems.append(
                InputError(
                    str(path), "is not a regular file (a device, pipe or socket); remove it or exclude it"
                )
            )
        else:
            take(path, root, rel)


def _unreadable(path: Path) -> str | None:
    """Why ``path`` cannot be used at all (missing, broken link, link loop), or None."""
    try:
        path.stat()
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "is a symbolic link loop; fix or remove the link"
        if path.is_symlink():
            return "is a broken symbolic link (its target does not exist); fix or remove the link"
        if err.errno in (errno.ENOENT, errno.ENOTDIR):
            return "no such file or folder; check the path"
        return f"cannot be opened ({err.strerror}); check the path and its permissions"
    return None


def _real(path: Path) -> Path:
    # realpath (not Path.resolve) because it never raises, even on link loops.
    return Path(os.path.realpath(path))


def _clean(patterns: list[str] | None) -> tuple[str, ...]:
    # "./drafts/" and "drafts" should mean the same to the user.
    cleaned = (p.removeprefix("./").rstrip("/") for p in patterns or ())
    return tuple(p for p in cleaned if p)


def _matches(rel: str, name: str, patterns: tuple[str, ...]) -> bool:
    rel, name = rel.lower(), name.lower()
    return any(fnmatchcase(rel, p.lower()) or fnmatchcase(name, p.lower()) for p in patterns)


def _included(rel: str, name: str, found: Discovery) -> bool:
    """Whether an include pattern takes the file; the ones that do are noted for ``notes``."""
    hits = [p for p in found.include if _matches(rel, name, (p,))]
    found.include_matched.update(hits)
    return bool(hits)


def _count(n: int, plural: str) -> str:
    """'1 file' / '3 files', for the plurals used in notes."""
    if n != 1:
        return f"{n} {plural}"
    return f"1 {plural.replace('files', 'file').replace('folders', 'folder').replace('links', 'link')}"


def _were(n: int) -> str:
    return "was" if n == 1 else "were"
