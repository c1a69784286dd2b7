"""``nlbrief brief`` end to end: the installed command on the example corpus with the tiny models."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers.cli import NLBRIEF  # noqa: E402

from pipeline.text.escaping import clean_text, md_inline

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "nieuws"
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
        "--beams", "1", "--threads", "1",
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


def test_each_source_of_a_story_shows_its_own_headline(briefed: dict) -> None:
    folder = briefed["out"] / "briefings"
    briefing = json.loads((folder / "2025-10-06.json").read_text())
    story = next(s for s in briefing["stories"] if len(s["sources"]) == 2)
    records = [
        json.loads((folder / s["translation_link"]).with_suffix(".json").read_text())
        for s in story["sources"]
    ]
    assert [s["headline"] for s in story["sources"]] == [r["headline"] for r in records]
    lead = records[story["bullets_from"]]
    assert (story["headline"], story["bullets"]) == (lead["headline"], lead["bullets"])
    page = (folder / "2025-10-06.html").read_text()
    section = page[page.index(f'<section id="{story["anchor"]}">') :]
    section = section[: section.index("</section>")]
    for source in story["sources"]:
        assert f'<span class="headline">{html.escape(clean_text(source["headline"]))}</span>' in section
    assert section.count("(headline and key points above)") == 1
    outlet = html.escape(story["sources"][story["bullets_from"]]["outlet"])
    assert f'Headline and key points from <span class="outlet">{outlet}</span>;' in section
    md = (folder / "2025-10-06.md").read_text()
    assert (
        f"Headline and key points from {md_inline(story['sources'][story['bullets_from']]['outlet'])};" in md
    )


def test_a_run_that_processes_no_article_keeps_the_briefing(
    briefed: dict, corpus: Path, tmp_path: Path
) -> None:
    """A good briefing, then a rerun whose summarizer is missing: the briefing stays as it was."""
    folder = briefed["out"] / "briefings"

    def files() -> dict[str, bytes]:  # the briefings, not the lock file a run holds
        return {path.name: path.read_bytes() for path in folder.glob("[!.]*") if path.is_file()}

    before = files()
    assert {"2025-10-06.md", "2025-10-06.html", "2025-10-06.json"} <= set(before)
    common = list(briefed["common"])
    common[common.index("--summarizer-model") + 1] = str(tmp_path / "no-such-model")
    result = subprocess.run(
        [NLBRIEF, "brief", str(corpus), "--date", "2025-10-06", *common, "--json"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 3, result.stderr
    assert files() == before
    assert (
        "briefing not written: no article of 2025-10-06 could be processed; the existing briefing is kept"
        in result.stderr
    )
    assert "Traceback" not in result.stderr
    summary = json.loads(result.stdout)
    assert summary["briefing"]["status"] == "not written" and summary["briefing"]["paths"] == []
    assert summary["briefing"]["not_written"].startswith("no article of 2025-10-06 could be processed")
    assert summary["model_error"]


GERMAN = (
    "---\ntitle: Neue Brücke über den Kanal\ndate: 2025-10-07\n---\n\n"
    "Der Gemeinderat hat am Dienstag beschlossen, die alte Brücke über den Kanal abzureißen. "
    "Die neue Brücke soll im nächsten Sommer fertig sein und wird mehr Platz für Radfahrer bieten. "
    "Die Bürger der Stadt waren sich über die Pläne nicht einig, und die Debatte dauerte lange.\n"
)


def _brief(folder: Path, out: Path, models: Path) -> subprocess.CompletedProcess:
    command = [
        NLBRIEF, "brief", str(folder), "-o", str(out), "--json",
        "--translator-model", str(models / "translator"),
        "--summarizer-model", str(models / "chat-summarizer"), "--beams", "1",
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def test_an_article_that_fails_is_listed_on_the_page(tmp_path: Path, tiny_models_dir: Path) -> None:
    folder = tmp_path / "nieuws"
    folder.mkdir()
    shutil.copy(EXAMPLES / "2025-10-07-museum.txt", folder)
    german = folder / "2025-10-07-brucke.md"
    german.write_text(GERMAN, encoding="utf-8")
    out = tmp_path / "out"
    result = _brief(folder, out, tiny_models_dir)
    assert result.returncode == 1, result.stderr  # an article failed: not a clean run, but a briefing
    paths = [out / f"2025-10-07{suffix}" for suffix in (".md", ".html", ".json")]
    assert (
        f"briefing written: 1 story from 1 article (1 missing) -> {', '.join(map(str, paths))}"
        in result.stderr
    )
    summary = json.loads(result.stdout)["briefing"]
    assert summary.pop("seconds") > 0  # the briefing's own time, beside the articles' stage times
    missing = [{"source_path": str(german), "reason": "looks like German, not Dutch"}]
    assert summary == {
        "status": "written", "paths": [str(p) for p in paths], "stories": 1, "articles": 1,
        "missing": missing, "not_written": None,
    }  # fmt: skip
    md, page, data = (path.read_text(encoding="utf-8") for path in paths)
    assert f"- {md_inline(str(german))}: looks like German, not Dutch" in md.splitlines()
    assert "1 article could not be processed and is missing:" in md
    assert f"{html.escape(str(german))}</span>: looks like German, not Dutch</li>" in page
    assert json.loads(data)["missing"] == missing
    for text in (md, page, data):
        assert "--no-language-check" not in text and "nlbrief translates" not in text  # no advice for readers
    again = _brief(folder, out, tiny_models_dir)
    assert "briefing up to date: 1 story from 1 article (1 missing)" in again.stderr
    assert json.loads(again.stdout)["briefing"]["status"] == "up to date"
    assert [path.read_text(encoding="utf-8") for path in paths] == [md, page, data]


def test_a_day_where_every_article_fails_writes_no_briefing(tmp_path: Path, tiny_models_dir: Path) -> None:
    folder = tmp_path / "nieuws"
    folder.mkdir()
    (folder / "2025-10-07-brucke.md").write_text(GERMAN, encoding="utf-8")
    out = tmp_path / "out"
    result = _brief(folder, out, tiny_models_dir)
    assert result.returncode == 1, result.stderr
    assert (
        result.stderr.splitlines()[-1] == "briefing not written: no article of 2025-10-07 could be processed"
    )
    assert not list(out.glob("2025-10-07.*"))
    summary = json.loads(result.stdout)["briefing"]
    assert (summary["status"], summary["paths"], summary["stories"]) == ("not written", [], 0)


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        ("a/b.txt: looks like a binary file (not text; it contains NUL bytes); pass a .txt or .md file",
         "looks like a binary file (not text; it contains NUL bytes)"),
        ("a/b.txt: is 30.0 MB, over the 20.0 MB limit; split it, or raise --max-file-size",
         "is 30.0 MB, over the 20.0 MB limit"),
        ("a/b.txt: refusing output name 'x': it would leave the output folder",
         "refusing output name 'x': it would leave the output folder"),
        ("model 'm' is not available; pass --summarizer-model DIR",
         "not processed: a model could not be loaded"),
        (None, "not processed"),
    ],
)  # fmt: skip
def test_the_reason_on_the_page_leaves_out_the_path_and_the_fix(error: str | None, reason: str) -> None:
    from pipeline.run.contracts import FileOutcome
    from pipeline.stages.brief_sources import reader_reason

    model_error = "model 'm' is not available; pass --summarizer-model DIR"
    assert reader_reason(FileOutcome("a/b.txt", "failed", error=error), model_error) == reason


def test_an_edited_overview_prompt_rebuilds_the_briefing(briefed: dict, corpus: Path, tmp_path: Path) -> None:
    from pipeline.summarize.templates import load_template

    prompts = tmp_path / "prompts"
    prompts.mkdir()
    builtin = load_template("overview", None).path.read_text(encoding="utf-8")
    # an edit a user would make: one more instruction at the start of the system text
    edited = builtin.replace("system: |\n", "system: |\n  Keep it to two sentences.\n", 1)
    assert edited != builtin
    (prompts / "overview.yaml").write_text(edited, encoding="utf-8")
    args = [NLBRIEF, "brief", str(corpus), "--date", "2025-10-06", *briefed["common"], "--json"]
    command = [*args, "--prompts-dir", str(prompts)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.splitlines()[0])
    assert summary["ok"] == 0  # the article records do not use this prompt: all kept
    assert summary["briefing"]["status"] == "written", result.stderr


def test_each_story_says_what_its_checks_found(briefed: dict) -> None:
    """Every story has its Checks section, drawn from its articles' records: a flagged key point is marked
    beside it, and a translation with flagged sentences is named."""
    briefing = json.loads((briefed["out"] / "briefings" / "2025-10-06.json").read_text())
    markdown = (briefed["out"] / "briefings" / "2025-10-06.md").read_text()
    assert markdown.count("### Checks") == len(briefing["stories"])
    for story in briefing["stories"]:
        lead = story["sources"][story["bullets_from"]]
        record_path = briefed["out"] / "articles" / Path(lead["source_path"]).with_suffix(".json").name
        record = json.loads(record_path.read_text())
        flagged = [bullet["flagged"] for bullet in record["checks"]["bullets"]]
        assert [bool(mark) for mark in story["bullet_checks"]] == flagged
        assert story["checks"] and all(isinstance(line, str) and line for line in story["checks"])
        if record["checks"]["translation"]["sentences_flagged"]:
            assert any("flagged sentence" in line for line in story["checks"])


# --- the templates, the outlets and the feed --------------------------------------------------------------


def _copy_template(folder: Path, name: str, old: str, new: str) -> None:
    from pipeline.briefing.templating import builtin_templates_dir

    folder.mkdir(exist_ok=True)
    text = (builtin_templates_dir() / name).read_text(encoding="utf-8")
    assert old in text
    (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")


def _brief_into(briefed: dict, corpus: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    """A briefing of 2025-10-06 into ``out``, reusing the article records the module's run made."""
    common = list(briefed["common"])
    common[common.index("-o") + 1] = str(out)
    command = [NLBRIEF, "brief", str(corpus), "--date", "2025-10-06", *common, *extra]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def test_an_edited_template_restyles_the_briefing(briefed: dict, corpus: Path, tmp_path: Path) -> None:
    templates, out = tmp_path / "templates", tmp_path / "briefings"
    _copy_template(
        templates, "briefing.html.j2", "<h2>About this briefing</h2>", "<h2>Colofon van de redactie</h2>"
    )
    first = _brief_into(briefed, corpus, out, "--template-dir", str(templates))
    assert first.returncode == 0, first.stderr
    page = (out / "2025-10-06.html").read_text(encoding="utf-8")
    assert "<h2>Colofon van de redactie</h2>" in page and "About this briefing" not in page
    assert "## About this briefing" in (out / "2025-10-06.md").read_text(encoding="utf-8")  # the built-in
    # another edit: the briefing is rewritten (the templates are part of its fingerprint)
    _copy_template(
        templates, "briefing.html.j2", "<h2>About this briefing</h2>", "<h2>Over deze briefing</h2>"
    )
    second = _brief_into(briefed, corpus, out, "--template-dir", str(templates))
    assert second.returncode == 0, second.stderr
    assert "briefing written" in second.stderr
    assert "<h2>Over deze briefing</h2>" in (out / "2025-10-06.html").read_text(encoding="utf-8")


def test_a_template_naming_what_is_not_there_fails_with_one_line(
    briefed: dict, corpus: Path, tmp_path: Path
) -> None:
    templates, out = tmp_path / "templates", tmp_path / "briefings"
    _copy_template(templates, "briefing.md.j2", "# {{ briefing.title }}", "# {{ briefing.headline }}")
    result = _brief_into(briefed, corpus, out, "--template-dir", str(templates))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    [line] = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert line.startswith(f"error: {templates / 'briefing.md.j2'}, line 12: ")
    assert "has no attribute 'headline'" in line
    assert not list(out.glob("2025-10-06.*"))  # nothing written
    # a template that does not compile stops the run before any work, with one line too
    (templates / "briefing.md.j2").write_text("{% for story in briefing.stories %}\n", encoding="utf-8")
    result = _brief_into(briefed, corpus, out, "--template-dir", str(templates))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"error: {templates / 'briefing.md.j2'}, line 1: Unexpected end of template. Jinja was looking for "
        "the following tags: 'endfor' or 'else'. The innermost block that needs to be closed is 'for'.; "
        "fix the template, or remove it from the template folder to use the built-in one"
    ]


def test_each_story_says_how_many_outlets_reported_it(briefed: dict) -> None:
    folder = briefed["out"] / "briefings"
    briefing = json.loads((folder / "2025-10-06.json").read_text())
    page = (folder / "2025-10-06.html").read_text()
    markdown = (folder / "2025-10-06.md").read_text()
    for story in briefing["stories"]:
        named = list(dict.fromkeys(s["outlet"] for s in story["sources"] if s["outlet"]))
        assert story["outlets"] == named  # the example articles with front matter name theirs
        assert story["sources_without_outlet"] == sum(not s["outlet"] for s in story["sources"])
    pair = next(s for s in briefing["stories"] if len(s["sources"]) == 2)
    line = f"Reported by 2 outlets: {', '.join(pair['outlets'])}"
    assert sorted(pair["outlets"]) == ["Groene Hart Courant", "NOS-achtig Nieuws"]
    assert f'<p class="outlets">{html.escape(line)}</p>' in page
    assert md_inline(line) in markdown.splitlines()


def test_the_feed_lists_the_briefings_of_the_folder(briefed: dict, corpus: Path, tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    folder = briefed["out"] / "briefings"
    assert "; feed " + str(folder / "briefings.atom") in briefed["runs"]["2025-10-08"].stderr
    root = ET.parse(folder / "briefings.atom").getroot()
    entries = root.findall(f"{atom}entry")
    assert [e.find(f"{atom}link").attrib["href"] for e in entries] == ["2025-10-08.html", "2025-10-06.html"]
    for entry, day in zip(entries, ["2025-10-08", "2025-10-06"], strict=True):
        briefing = json.loads((folder / f"{day}.json").read_text())
        assert entry.findtext(f"{atom}title") == briefing["title"]
        assert (folder / f"{day}.html").is_file()
    # --feed-days: a briefing of 2025-10-06 in a copy of the folder; its feed keeps the newest day only
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(".*"))
    result = _brief_into(briefed, corpus, copy, "--feed-days", "1", "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.splitlines()[0])
    # (up to date, unless another test rewrote the briefing with an edited prompt first)
    assert summary["briefing"]["status"] in {"up to date", "written"}
    assert summary["feed"] == str(copy / "briefings.atom")
    entries = ET.parse(copy / "briefings.atom").getroot().findall(f"{atom}entry")
    assert [e.find(f"{atom}link").attrib["href"] for e in entries] == ["2025-10-08.html"]
