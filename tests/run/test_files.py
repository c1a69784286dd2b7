"""Atomic writes, the output folder check, safe output names and stale temp files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.errors import OutputError, UsageError
from pipeline.run.files import (
    TEMP_PREFIX,
    atomic_write_text,
    check_output_folder,
    current_umask,
    remove_stale_temp_files,
    safe_output_path,
)


def test_atomic_write_replaces_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.txt"
    atomic_write_text(target, "eerste")
    atomic_write_text(target, "tweede")
    assert target.read_text() == "tweede"
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]


def test_a_failed_write_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.txt"
    atomic_write_text(target, "oud")

    def no_space(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(OutputError, match="No space left"):
        atomic_write_text(target, "nieuw")
    assert target.read_text() == "oud"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]


@pytest.mark.parametrize("bad", ["../escape.txt", "/etc/passwd", "a/../../b.txt"])
def test_output_names_cannot_escape_the_output_folder(tmp_path: Path, bad: str) -> None:
    with pytest.raises(OutputError):
        safe_output_path(tmp_path, bad)


def test_output_names_cannot_escape_through_a_link(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "link").symlink_to(outside)
    with pytest.raises(OutputError):
        safe_output_path(out, "link/a.txt")


def test_stale_temp_files_of_a_killed_run_are_removed(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / f"{TEMP_PREFIX}abc").write_text("half a translation")
    (tmp_path / "keep.txt").write_text("done")
    assert remove_stale_temp_files(tmp_path) == 1
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["keep.txt"]


def test_an_output_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    taken = tmp_path / "notes.txt"
    taken.write_text("x")
    for folder in [taken, taken / "sub" / "deeper"]:
        with pytest.raises(UsageError) as caught:
            check_output_folder(folder)
        assert str(caught.value) == f"{taken} is a file, not a folder; choose a folder for -o"
    check_output_folder(tmp_path / "new" / "folder")  # not there yet: made by the run


def test_the_umask_is_read_without_changing_it_and_without_proc_too(monkeypatch: pytest.MonkeyPatch) -> None:
    mask = os.umask(0o027)
    try:
        assert current_umask.__wrapped__() == 0o027  # /proc/self/status where there is one
        real_read_text = Path.read_text

        def no_proc(path: Path, *args: object, **kwargs: object) -> str:
            if str(path).startswith("/proc/"):
                raise FileNotFoundError(path)
            return real_read_text(path, *args, **kwargs)

        monkeypatch.setattr(Path, "read_text", no_proc)
        assert current_umask.__wrapped__() == 0o027  # set and put back
        assert os.umask(0o027) == 0o027
    finally:
        os.umask(mask)
