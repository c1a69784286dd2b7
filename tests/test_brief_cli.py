"""``nlbrief brief`` end to end: the installed command on the example corpus with the tiny models."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

NLBRIEF = str(Path(sys.executable).parent / "nlbrief")
EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "nieuws"
UNDATED = "2025-10-08-begroting-maaswijk.txt"


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "nieuws"
    shutil.copytree(EXAMPLES, folder)
    stamp = dt.datetime(2031, 1, 2, 9, 30).timestamp()  # a clone's files carry the clone's time
    os.utime(folder / UNDATED, (stamp, stamp))
    return folder


@pytest.fixture(scope="module")
def briefed(corpus: Path, tiny_models_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("brief")
    common = [
        "-o", str(out / "briefings"), "--articles", str(out / "articles"),
        "--translator-model", str(tiny_models_dir / "translator"),
        "--summarizer-model", str(tiny_models_dir / "chat-summarizer"),
        "--beams", "1", "--threads", "1", "--translations", str(out / "none"),
    ]  # fmt: skip
    runs = {}
    for day in ["2025-10-06", "2025-10-08"]:
        result = subprocess.run(
            [NLBRIEF, "brief", str(corpus), "--date", day, *common],
            capture_output=True,
            text=True,
            timeout=600,
        )
        runs[day] = result
    return {"out": out, "runs": runs, "common": common}


def test_a_day_gives_markdown_html_and_json(briefed: dict) -> None:
    for day, result in briefed["runs"].items():
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        for suffix in (".md", ".html", ".json"):
            assert (briefed["out"] / "briefings" / f"{day}{suffix}").stat().st_size > 200


@pytest.mark.parametrize(
    ("day", "pair"),
    [
        ("2025-10-06", {"2025-10-06-veenkade-oudewaard.md", "2025-10-06-kadebreuk-polder-geevacueerd.txt"}),
        (
            "2025-10-08",
            {
                "2025-10-08-vonnis-oud-directeur-het-baken.md",
                "2025-10-08-celstraf-ex-topman-woonstichting.txt",
            },
        ),
    ],
)  # fmt: skip
def test_a_story_told_twice_is_one_section_with_two_sources(briefed: dict, day: str, pair: set[str]) -> None:
    briefing = json.loads((briefed["out"] / "briefings" / f"{day}.json").read_text())
    names = [{Path(s["source_path"]).name for s in story["sources"]} for story in briefing["stories"]]
    assert pair in names
    assert (
        briefing["stories"][0]["sources"] and len(briefing["stories"][0]["sources"]) == 2
    )  # most sources first
    assert sum(len(n) for n in names) == len(set().union(*names))  # every article in exactly one section
    assert all(name.startswith(day) for n in names for name in n)  # the example files are named by day


def test_an_undated_article_is_placed_by_the_date_its_file_name_starts_with(briefed: dict) -> None:
    briefing = json.loads((briefed["out"] / "briefings" / "2025-10-08.json").read_text())
    [source] = [
        s for story in briefing["stories"] for s in story["sources"] if s["source_path"].endswith(UNDATED)
    ]
    assert (source["date"], source["date_source"]) == ("2025-10-08", "filename")  # not its file's 2031
    html = (briefed["out"] / "briefings" / "2025-10-08.html").read_text()
    assert "file date" not in html


def test_the_html_page_links_every_story_and_its_translation(briefed: dict) -> None:
    folder = briefed["out"] / "briefings"
    briefing = json.loads((folder / "2025-10-06.json").read_text())
    html = (folder / "2025-10-06.html").read_text()
    for story in briefing["stories"]:
        assert f'id="{story["anchor"]}"' in html and f'href="#{story["anchor"]}"' in html
        for source in story["sources"]:
            assert (folder / source["translation_link"]).is_file()
    assert "<script" not in html.lower()


def test_a_rerun_is_up_to_date_without_loading_a_model(briefed: dict, corpus: Path) -> None:
    result = subprocess.run(
        [NLBRIEF, "brief", str(corpus), "--date", "2025-10-06", *briefed["common"], "--json"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[0])["model_loaded"] is False
    assert "briefing up to date" in result.stderr


def test_a_hostile_article_cannot_change_the_page(tmp_path: Path, tiny_models_dir: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "kwaad.md").write_text(
        "---\ntitle: \"<script>alert('x')</script> Gemeente </section><h1>nep</h1>\"\ndate: 2025-10-09\n"
        'url: "javascript:alert(1)"\nsource: "<b>Krant</b>"\n---\n\n'
        "De gemeente <img src=x onerror=alert(1)> besloot dinsdag tot een nieuw plan voor de haven.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = subprocess.run(
        [NLBRIEF, "brief", str(folder), "-o", str(out), "--articles", str(tmp_path / "articles"),
         "--translator-model", str(tiny_models_dir / "translator"),
         "--summarizer-model", str(tiny_models_dir / "chat-summarizer"), "--beams", "1"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    page = Elements()
    page.feed((out / "2025-10-09.html").read_text())
    assert "script" not in page.tags and "img" not in page.tags and page.tags.count("h1") == 1
    assert any("<script>alert('x')</script>" in text for text in page.text)
    assert 'href="javascript' not in (out / "2025-10-09.html").read_text()


def test_a_briefing_inside_the_input_folder_is_never_read_back(tmp_path: Path, tiny_models_dir: Path) -> None:
    folder = tmp_path / "nieuws"
    folder.mkdir()
    shutil.copy(EXAMPLES / "2025-10-07-museum.txt", folder)
    command = [
        NLBRIEF, "brief", str(folder), "-o", str(folder / "briefings"), "--json",
        "--translator-model", str(tiny_models_dir / "translator"),
        "--summarizer-model", str(tiny_models_dir / "chat-summarizer"), "--beams", "1",
    ]  # fmt: skip
    first = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert (folder / "briefings" / "articles" / "2025-10-07-museum.md").is_file()  # pages travel with -o
    second = subprocess.run(command, capture_output=True, text=True, timeout=300)
    summary = json.loads(second.stdout.splitlines()[0])
    assert [Path(f["input"]).name for f in summary["files"]] == ["2025-10-07-museum.txt"]
    assert summary["model_loaded"] is False
