"""briefings.atom rebuilt from the briefings' JSON in a folder: every briefing present, written only when
it changes, and a JSON that cannot be read is said, not skipped silently."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from pathlib import Path

from helpers.briefings import sample_briefing

from pipeline.briefing.feed import ATOM, FEED_NAME
from pipeline.briefing.render import render_json
from pipeline.stages.brief_feed import write_feed

A = f"{{{ATOM}}}"


def _briefing(folder: Path, name: str, title: str) -> None:
    b = dataclasses.replace(sample_briefing(), title=title, period=name.replace("_", " to "))
    (folder / f"{name}.json").write_text(render_json(b), encoding="utf-8")


def test_the_feed_holds_the_briefings_of_the_folder_and_is_rewritten_only_when_it_changes(
    tmp_path: Path,
) -> None:
    for name in ("2025-10-05", "2025-10-06", "2025-10-04_2025-10-06", "2025-10-01"):
        _briefing(tmp_path, name, f"Briefing {name}")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")  # not a briefing's name: not read
    notes: list[str] = []
    path = write_feed(tmp_path, 2, notes.append)
    assert path == tmp_path / FEED_NAME and not notes
    root = ET.parse(path).getroot()
    titles = [e.findtext(f"{A}title") for e in root.iter(f"{A}entry")]
    assert titles == ["Briefing 2025-10-06", "Briefing 2025-10-04_2025-10-06", "Briefing 2025-10-05"]
    before = path.stat()
    write_feed(tmp_path, 2, notes.append)
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)  # nothing new: kept
    _briefing(tmp_path, "2025-10-07", "Briefing 2025-10-07")
    write_feed(tmp_path, 2, notes.append)
    titles = [e.findtext(f"{A}title") for e in ET.parse(path).getroot().iter(f"{A}entry")]
    assert titles == ["Briefing 2025-10-07", "Briefing 2025-10-06", "Briefing 2025-10-04_2025-10-06"]


def test_a_moved_folder_keeps_its_feeds_ids(tmp_path: Path) -> None:
    first = tmp_path / "here"
    first.mkdir()
    _briefing(first, "2025-10-06", "Briefing")
    ids = lambda path: [e.text for e in ET.parse(path).getroot().iter(f"{A}id")]  # noqa: E731
    before = ids(write_feed(first, 30, print))
    moved = first.rename(tmp_path / "there")
    _briefing(moved, "2025-10-07", "Next")
    after = ids(write_feed(moved, 30, print))
    assert after[0] == before[0] and after[2] == before[1]  # the feed's, then the old entry's
    assert len(set(after)) == 3


def test_a_briefing_that_cannot_be_read_is_left_out_and_said(tmp_path: Path) -> None:
    _briefing(tmp_path, "2025-10-06", "Good")
    (tmp_path / "2025-10-07.json").write_text('{"title": "half', encoding="utf-8")
    (tmp_path / "2025-10-08.json").write_text("[1, 2]", encoding="utf-8")
    notes: list[str] = []
    path = write_feed(tmp_path, 30, notes.append)
    assert [e.findtext(f"{A}title") for e in ET.parse(path).getroot().iter(f"{A}entry")] == ["Good"]
    assert len(notes) == 2
    assert notes[0].startswith(f"{tmp_path / '2025-10-07.json'}: left out of briefings.atom: ")
    assert all(note.endswith("; rerun nlbrief brief for its day, or remove it") for note in notes)
