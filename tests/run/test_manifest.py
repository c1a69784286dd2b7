"""The manifest, output naming, the up-to-date check and the fingerprints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.errors import OutputError, UsageError
from pipeline.run.files import TEMP_PREFIX, atomic_write_text, sha256_bytes
from pipeline.run.manifest import (
    Manifest,
    command_of,
    fingerprint,
    hand_edited,
    is_up_to_date,
    plan_outputs,
    refuse_other_command,
)


def test_manifest_ignores_a_torn_last_line(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / "manifest.jsonl")
    manifest.append({"input": "a.txt", "output": "out/a.txt", "status": "ok", "n": 1})
    manifest.append({"input": "a.txt", "output": None, "status": "failed"})
    manifest.append({"input": "b.txt", "output": "out/b.txt", "status": "ok"})
    with open(manifest.path, "a") as handle:
        handle.write('{"input": "c.txt", "sta')
    latest = manifest.latest_ok()
    assert set(latest) == {"out/a.txt", "out/b.txt"} and latest["out/a.txt"]["n"] == 1
    assert len(list(manifest.records())) == 3


def test_up_to_date_needs_same_content_settings_and_intact_outputs(tmp_path: Path) -> None:
    record_md, record_json = tmp_path / "a.md", tmp_path / "a.json"
    record_md.write_text("translation")
    record_json.write_text("{}")
    outputs = [record_json, record_md]
    record = {
        "sha256": "abc",
        "fingerprint": fingerprint({"beams": 4}),
        "outputs": {str(record_json): sha256_bytes(b"{}"), str(record_md): sha256_bytes(b"translation")},
    }
    same = fingerprint({"beams": 4})
    assert is_up_to_date(record, sha256="abc", fingerprint=same, outputs=outputs)
    assert not is_up_to_date(record, sha256="abd", fingerprint=same, outputs=outputs)
    assert not is_up_to_date(record, sha256="abc", fingerprint=fingerprint({"beams": 1}), outputs=outputs)
    assert not is_up_to_date(record, sha256="abc", fingerprint=same, outputs=[record_json])
    record_md.write_text("edited by hand")
    assert not is_up_to_date(record, sha256="abc", fingerprint=same, outputs=outputs)
    record_md.unlink()
    assert not is_up_to_date(record, sha256="abc", fingerprint=same, outputs=outputs)
    assert not is_up_to_date(None, sha256="abc", fingerprint="x", outputs=outputs)


def test_fingerprint_is_order_independent() -> None:
    assert fingerprint({"a": 1, "b": [1, 2]}) == fingerprint(json.loads('{"b": [1, 2], "a": 1}'))


def test_output_names_mirror_inputs_and_never_clash(tmp_path: Path) -> None:
    rels = [("/in", "a.txt"), ("/in", "a.md"), ("/in", "sub/b.txt"), ("/day1", "c.txt"), ("/day2", "c.txt")]
    planned = plan_outputs(rels, tmp_path, (".txt", ".md"))
    names = [[p.relative_to(tmp_path).as_posix() for p in paths] for paths in planned]
    assert [primary for primary, _ in names] == ["a.txt", "a.md.txt", "sub/b.txt", "c.txt", "day2/c.txt"]
    assert [sibling for _, sibling in names] == ["a.md", "a.md.md", "sub/b.md", "c.md", "day2/c.md"]
    assert len({name for pair in names for name in pair}) == 2 * len(rels)


def test_an_output_name_through_a_planted_link_is_refused_for_its_input_alone(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.md").symlink_to(outside / "a.md")  # only the secondary output of a.txt is planted
    first, second = plan_outputs([("", "a.txt"), ("", "b.txt")], out, (".json", ".md"))
    assert isinstance(first, OutputError) and "refusing output name 'a.md'" in str(first)
    assert second == [out / "b.json", out / "b.md"]


def test_compaction_keeps_the_newest_line_per_input(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / "manifest.jsonl")
    manifest.append({"source": "/in/a.txt", "input": "a.txt", "output": "/o/a.txt", "status": "ok", "n": 1})
    manifest.append({"source": "/in/b.txt", "input": "b.txt", "output": None, "status": "failed", "n": 2})
    manifest.append(
        {"source": "/in/a.txt", "input": "in/a.txt", "output": "/o/a.txt", "status": "ok", "n": 3}
    )
    manifest.append({"source": "/in/b.txt", "input": "b.txt", "output": "/o/b.txt", "status": "ok", "n": 4})
    # The same output from a renamed input (a.txt became a.md) replaces the old line as well.
    manifest.append({"source": "/in/a.md", "input": "a.md", "output": "/o/a.txt", "status": "ok", "n": 5})
    with open(manifest.path, "a") as handle:
        handle.write('{"source": "/in/c.txt", "sta')  # torn by a kill
    assert manifest.compact() == 2
    assert [r["n"] for r in manifest.records()] == [4, 5]
    assert manifest.path.read_text().count("\n") == 2
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TEMP_PREFIX)]


record_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False, allow_infinity=False),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(), children, max_size=3),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None)
@given(records=st.lists(st.dictionaries(st.text(), record_values, max_size=5), min_size=1, max_size=6))
def test_property_manifest_records_round_trip(records: list[dict], tmp_path_factory) -> None:
    """Any JSON-able record (any Unicode, line breaks, U+2028 included) reads back as written, and
    compaction of records for distinct inputs keeps them all, in order."""
    folder = tmp_path_factory.mktemp("manifest")
    manifest = Manifest(folder / "manifest.jsonl")
    written = [
        {**record, "source": f"/in/{n}.txt", "output": f"/o/{n}.json"} for n, record in enumerate(records)
    ]
    for record in written:
        manifest.append(record)
    assert list(manifest.records()) == written
    assert manifest.compact() == len(written)
    assert list(manifest.records()) == written


def _names(planned: list, out: Path) -> list[str]:
    return [paths[0].relative_to(out).as_posix() for paths in planned]


def test_adding_an_input_never_renames_the_outputs_of_the_others(tmp_path: Path) -> None:
    first = [("/news/day1", "a.txt"), ("/news/day1", "sub/b.txt")]
    alone = _names(plan_outputs(first, tmp_path, (".txt",)), tmp_path)
    assert alone == ["a.txt", "sub/b.txt"]
    later = [("/news/day2", "a.txt"), ("/news/day2", "c.txt"), ("/elsewhere", "a.txt"), ("", "stdin")]
    together = _names(plan_outputs(first + later, tmp_path, (".txt",)), tmp_path)
    # only names an earlier folder has go under the later folder's name; the rest stay at the top
    assert together == alone + ["day2/a.txt", "c.txt", "elsewhere/a.txt", "stdin.txt"]


def test_an_output_edited_since_it_was_written_is_found(tmp_path: Path) -> None:
    record, page = tmp_path / "a.json", tmp_path / "a.md"
    atomic_write_text(record, "{}")
    atomic_write_text(page, "# A\n")
    written = {str(record): sha256_bytes(b"{}"), str(page): sha256_bytes(b"# A\n")}
    previous = {"sha256": "in", "fingerprint": "f", "outputs": written}
    assert hand_edited(written, [record, page]) == []
    page.write_text("# A, corrected\n")
    assert hand_edited(written, [record, page]) == [page]
    assert is_up_to_date(previous, sha256="in", fingerprint="f", outputs=[record, page], edited=[page])
    assert not is_up_to_date(previous, sha256="in", fingerprint="f", outputs=[record, page])
    record.unlink()  # gone is not edited: it is simply made again
    assert hand_edited(written, [record, page]) == [page]
    assert not is_up_to_date(previous, sha256="in", fingerprint="f", outputs=[record, page], edited=[page])
    assert hand_edited({}, [page]) == []  # never recorded (a killed run's last write): not ours to guard


def test_a_failed_line_keeps_what_the_ok_line_it_replaces_wrote(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / "manifest.jsonl")
    made = {"source": "/in/a.txt", "output": "/out/a.txt", "status": "ok", "outputs": {"/out/a.txt": "h1"}}
    manifest.append(made)
    manifest.append({"source": "/in/a.txt", "output": None, "status": "failed", "outputs": {}})
    assert manifest.compact() == 1
    [line] = list(manifest.records())
    assert line["status"] == "failed" and manifest.latest_ok() == {}
    assert manifest.written() == {"/out/a.txt": "h1"}  # so an edit of /out/a.txt is still told apart


def test_a_folder_belongs_to_the_command_that_wrote_it(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / "manifest.jsonl")
    refuse_other_command(manifest, "translate", tmp_path)  # a new folder is anyone's
    manifest.append({"input": "a.txt", "status": "ok", "command": "process"})
    refuse_other_command(manifest, "process", tmp_path)
    with pytest.raises(UsageError, match=r"holds `nlbrief process` outputs; choose another -o folder"):
        refuse_other_command(manifest, "translate", tmp_path)


@pytest.mark.parametrize(
    ("keys", "command"),
    [
        ({"model", "format"}, "translate"),
        ({"model", "summarizer_model"}, "process"),
        ({"summarizer_model"}, "summarize"),
        ({"input"}, None),
    ],
)
def test_lines_from_before_the_command_field_are_told_by_their_provenance(keys: set, command: str) -> None:
    assert command_of(dict.fromkeys(keys, "x")) == command
