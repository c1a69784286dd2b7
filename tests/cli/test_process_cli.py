"""``nlbrief process``, ``summarize`` and ``prompts`` through the installed command, on the tiny models."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers.cli import NLBRIEF, nlbrief  # noqa: E402
from helpers.corpus import write_articles

from pipeline.text.escaping import http_url

ARTICLES = {
    "2025-10-09-haven.txt": (
        "date 2025-10-09 De haven van Rotterdam sloeg in het derde kwartaal minder containers over "
        "dan vorig jaar.\n"
        "Volgens het havenbedrijf komt dat door de zwakke economie in Duitsland.\nVooruitzichten\n"
        "Voor het vierde kwartaal verwacht de haven een licht herstel.\n"
    ),
    "binnenland/school.md": (
        "---\ntitle: Scholen krijgen geld voor lerarentekort\ndate: 2025-10-09\n"
        "url: https://www.example.nl/onderwijs/lerarentekort?bron=rss&id=(7)\n---\n\n"
        "Het kabinet trekt 200 miljoen euro uit om het lerarentekort in de grote steden aan te pakken.\n\n"
        "Scholen in Amsterdam, Rotterdam, Den Haag en Utrecht kunnen het geld gebruiken voor extra salaris.\n"
    ),
}


class Cells(HTMLParser):
    """The column headers of an HTML page's table, and its cells' text by their lang attribute, without
    the marks the checks put beside a flagged sentence (counted in ``marks``)."""

    def __init__(self) -> None:
        super().__init__()
        self.columns: list[str] = []
        self.cells: dict[str, list[str]] = {"nl": [], "en": []}
        self._into: list[str] | None = None
        self._in_mark = 0
        self.marks = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "span" and dict(attrs).get("class") == "check":
            self._in_mark += 1
            self.marks += self._into is not None
        elif self._in_mark and tag == "span":
            self._in_mark += 1
        elif tag == "th":
            self._into = self.columns
            self.columns.append("")
        elif tag == "td":
            self._into = self.cells[dict(attrs)["lang"]]
            self._into.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._in_mark:
            self._in_mark -= 1
        elif tag in {"th", "td"}:
            self._into = None

    def handle_data(self, data: str) -> None:
        if self._into is not None and not self._in_mark:
            self._into[-1] += data


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_articles(tmp_path / "nieuws", ARTICLES)


@pytest.mark.parametrize("summarizer", ["chat-summarizer", "seq2seq-summarizer", "bart-summarizer"])
def test_process_writes_a_record_per_article_and_reruns_skip(
    folder: Path, tmp_path: Path, tiny_models_dir: Path, summarizer: str
) -> None:
    out = tmp_path / "out"
    args = [
        "process", str(folder), "-o", str(out),
        "--translator-model", str(tiny_models_dir / "translator"),
        "--summarizer-model", str(tiny_models_dir / summarizer),
        "--beams", "1", "--bullets", "2", "--threads", "1",
    ]  # fmt: skip
    result = nlbrief(*args, "--json")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(result.stdout)["ok"] == 2
    checks = json.loads(result.stdout)["checks"]  # the run counts what its checks flagged
    assert checks["checked"] == 2 and checks["findings"] >= checks["flagged"]
    said = f"checks flagged {checks['flagged']} of 2" if checks["flagged"] else "checks flagged none of 2"
    assert said in result.stderr
    for rel in ["2025-10-09-haven", "binnenland/school"]:
        record = json.loads((out / f"{rel}.json").read_text())
        assert isinstance(record["headline"], str) and record["headline"]
        assert isinstance(record["bullets"], list) and 1 <= len(record["bullets"]) <= 2
        assert record["sha256"] and record["source_path"].endswith(
            rel + (".txt" if "haven" in rel else ".md")
        )
        assert record["translation"]["paragraphs"] and record["summarizer_model"].endswith(summarizer)
        assert record["checks"]["version"] >= 1 and record["checks"]["translation"]["findings"] is not None
        assert len(record["checks"]["bullets"]) == len(record["bullets"])
        markdown = (out / f"{rel}.md").read_text()
        assert markdown.startswith("# ") and "## Translation" in markdown
        assert "Machine translation by: " in markdown and "(revision " in markdown
        page = Cells()
        page.feed((out / f"{rel}.html").read_text())
        dutch = [p["source"] for p in record["translation"]["paragraphs"]]
        english = [p["translation"] for p in record["translation"]["paragraphs"]]
        assert page.columns == ["Dutch original", "English (machine translation)"]
        assert page.cells["nl"][-len(dutch) :] == dutch
        assert [" ".join(c.split()) for c in page.cells["en"][-len(english) :]] == [
            " ".join(e.split()) for e in english
        ]
        sentences = [s for p in record["translation"]["paragraphs"] for s in p["sentences"]]
        assert page.marks == sum(s["flagged"] for s in sentences + record["translation"]["title_sentences"])
    url = "https://www.example.nl/onderwijs/lerarentekort?bron=rss&id=(7)"
    assert f"]({http_url(url)})" in (out / "binnenland/school.md").read_text()
    assert f'href="{http_url(url).replace("&", "&amp;")}"' in (out / "binnenland/school.html").read_text()
    assert json.loads((out / "binnenland/school.json").read_text())["original_title"].startswith("Scholen")
    lines = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert len(lines) == 2 and all(line["status"] == "ok" for line in lines)
    # the HTML page is an output like the others: hashed in the manifest, so a change to it is noticed
    assert all(sorted(Path(p).suffix for p in line["outputs"]) == [".html", ".json", ".md"] for line in lines)

    again = json.loads(nlbrief(*args, "--json").stdout)
    assert (again["skipped"], again["ok"], again["model_loaded"]) == (2, 0, False)


def test_process_takes_the_translations_of_translate_from_the_memory(
    folder: Path, tmp_path: Path, tiny_models_dir: Path
) -> None:
    translations = tmp_path / "translations"
    memory = ["--cache-dir", str(tmp_path / "cache")]
    translator = ["--translator-model", str(tiny_models_dir / "translator"), "--beams", "1", "--threads", "1"]
    done = nlbrief("translate", str(folder), "-o", str(translations), *translator, *memory, "--format=json")
    assert done.returncode == 0, done.stderr
    summarizer = ["--summarizer-model", str(tiny_models_dir / "chat-summarizer")]
    out = tmp_path / "out"
    result = nlbrief("process", str(folder), "-o", str(out), *translator, *memory, *summarizer)
    assert result.returncode == 0, result.stderr
    record = json.loads((out / "2025-10-09-haven.json").read_text())
    made = json.loads((translations / "2025-10-09-haven.json").read_text())
    assert [p["translation"] for p in record["translation"]["paragraphs"]] == [
        p["translation"] for p in made["paragraphs"]
    ]
    # every sentence was remembered: the translator was never loaded
    assert record["timings"]["translator_load_s"] == 0 and record["translation"]["reused_from"] is None
    # different translation settings: nothing remembered, the translator loads
    args = ["-o", str(tmp_path / "out2"), *translator[:-4], "--beams", "2", "--threads", "1", *memory]
    other = nlbrief("process", str(folder), *args, *summarizer)
    assert other.returncode == 0, other.stderr
    record = json.loads((tmp_path / "out2" / "2025-10-09-haven.json").read_text())
    assert record["timings"]["translator_load_s"] > 0


def test_summarize_takes_english_and_refuses_dutch(tmp_path: Path, tiny_models_dir: Path) -> None:
    english = tmp_path / "en.txt"
    english.write_text(
        "Port volumes fall\n\nThe port of Rotterdam handled fewer containers in the third quarter "
        "than a year ago. "
        "The port authority blamed the weak German economy.\n",
        encoding="utf-8",
    )
    dutch = tmp_path / "nl.txt"
    dutch.write_text(ARTICLES["2025-10-09-haven.txt"], encoding="utf-8")
    out = tmp_path / "out"
    model = ["--summarizer-model", str(tiny_models_dir / "chat-summarizer")]
    result = nlbrief("summarize", str(english), str(dutch), "-o", str(out), *model, "--threads", "1")
    assert result.returncode == 1
    assert (
        "nl.txt" in result.stderr and "nlbrief process" in result.stderr and "Traceback" not in result.stderr
    )
    record = json.loads((out / "en.json").read_text())
    assert record["translation"] is None and record["original_title"] == "Port volumes fall"
    assert record["headline"] and record["bullets"]


def test_prompts_list_and_show(tmp_path: Path) -> None:
    listed = nlbrief("prompts", "list")
    assert listed.returncode == 0
    for name in ["bullets", "headline", "overview", "chunk_bullets", "merge_bullets"]:
        assert name in listed.stdout
    shown = nlbrief("prompts", "show", "bullets")
    assert shown.returncode == 0 and "{bullets}" in shown.stdout and "variables" in shown.stdout
    (tmp_path / "headline.yaml").write_text(
        "description: mine\nprompt: 'Headline for {text}'\nvariables: [text, title]\nmax_new_tokens: 10\n"
    )
    mine = nlbrief("prompts", "list", "--prompts-dir", str(tmp_path))
    assert str(tmp_path / "headline.yaml") in mine.stdout
    missing = nlbrief("prompts", "show", "nope")
    assert missing.returncode == 2 and "bullets" in missing.stderr and "Traceback" not in missing.stderr


# A sentence far over the tiny translator's 64-token limit: translated in parts, with a warning.
LONG_SENTENCE = (
    "date 2025-10-09 De gemeenteraad besloot na een lange vergadering waarin de wethouder, de "
    "ambtenaren van de afdeling verkeer, de bewoners van de wijk, de ondernemers van de markt en de "
    "vertegenwoordigers van de fietsersbond allemaal hun zorgen uitspraken over de drukte, het "
    "lawaai, de veiligheid van kinderen op weg naar school en de bereikbaarheid van de winkels in "
    "het centrum, dat de nieuwe parkeergarage onder het plein er toch komt en dat de bouw in het "
    "voorjaar van volgend jaar begint.\n"
)


def test_a_remembered_translation_keeps_the_warnings_and_passthrough_of_a_fresh_one(
    tmp_path: Path, tiny_models_dir: Path
) -> None:
    examples = Path(__file__).resolve().parents[2] / "examples" / "nieuws"
    folder = tmp_path / "nieuws"
    folder.mkdir()
    for name in ("2025-10-08-koffieprijs-horeca.txt", "2025-10-07-noordkust-energie-battery.md"):
        shutil.copy(examples / name, folder / name)  # in cp1252; in English
    (folder / "2025-10-09-parkeergarage.txt").write_text(LONG_SENTENCE, encoding="utf-8")
    translator = ["--translator-model", str(tiny_models_dir / "translator"), "--beams", "1", "--threads", "1"]
    summarizer = ["--summarizer-model", str(tiny_models_dir / "chat-summarizer")]
    memory = ["--cache-dir", str(tmp_path / "cache")]
    done = nlbrief("translate", str(folder), "-o", str(tmp_path / "translations"), *translator, *memory, "-q")
    assert done.returncode == 0, done.stderr
    records = {}
    for run, cache in (("remembered", memory), ("fresh", ["--no-cache"])):
        out = tmp_path / run
        result = nlbrief("process", str(folder), "-o", str(out), *translator, *summarizer, *cache)
        assert result.returncode == 0, result.stderr
        records[run] = {path.name: json.loads(path.read_text()) for path in sorted(out.glob("*.json"))}
    assert records["remembered"].keys() == records["fresh"].keys() and len(records["fresh"]) == 3
    for name, fresh in records["fresh"].items():
        remembered = records["remembered"][name]
        assert remembered["translation"] == fresh["translation"], name
        assert remembered["warnings"] == fresh["warnings"], name
    warnings = {name: " ".join(record["warnings"]) for name, record in records["remembered"].items()}
    assert "cp1252" in warnings["2025-10-08-koffieprijs-horeca.json"]
    assert "translated in" in warnings["2025-10-09-parkeergarage.json"]
    assert "already English" in warnings["2025-10-07-noordkust-energie-battery.json"]
    english = records["remembered"]["2025-10-07-noordkust-energie-battery.json"]
    assert english["translation"]["passthrough"] is True


SAVE_AS_TEXT = "not plain text; save it as plain text (.txt) and pass that"


def translator_args(tmp_path: Path, tiny_models_dir: Path) -> list[str]:
    return ["--translator-model", str(tiny_models_dir / "translator"), "-o", str(tmp_path / "out")]


def test_empty_stdin_is_called_stdin(tmp_path: Path, tiny_models_dir: Path) -> None:
    empty = subprocess.run(
        [NLBRIEF, "translate", "-", *translator_args(tmp_path, tiny_models_dir)],
        input="", capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert empty.returncode == 1 and "error: stdin is empty; nothing to translate" in empty.stderr
    assert "-:" not in empty.stderr


def test_word_processor_files_are_refused_with_one_line_saying_to_save_as_text(
    tmp_path: Path, tiny_models_dir: Path
) -> None:
    folder = tmp_path / "nieuws"
    folder.mkdir()
    (folder / "2025-10-07-museum-brief.rtf").write_text("{\\rtf1\\ansi Het museum opent.\\par}\n")
    (folder / "verslag.txt").write_text("{\\rtf1\\ansi Het museum sluit.\\par}\n")  # RTF under a .txt name
    (folder / "notulen.docx").write_bytes(b"PK\x03\x04" + bytes(64))
    kinds = {"2025-10-07-museum-brief.rtf": "an RTF", "verslag.txt": "an RTF", "notulen.docx": "a Word"}
    model = translator_args(tmp_path, tiny_models_dir)
    named = nlbrief("translate", *(str(folder / name) for name in kinds), *model)
    assert named.returncode == 1 and "Traceback" not in named.stderr
    errors = [line for line in named.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 3, named.stderr
    for name, kind in kinds.items():
        [line] = [line for line in errors if f"/{name}: " in line]
        assert line.endswith(f"/{name}: is {kind} document, {SAVE_AS_TEXT}")


def test_an_include_without_a_glob_that_matches_nothing_says_so(
    tmp_path: Path, tiny_models_dir: Path
) -> None:
    folder = tmp_path / "nieuws"
    folder.mkdir()
    (folder / "2025-10-07-museum.txt").write_text("Het museum opent een nieuwe zaal.\n")
    model = translator_args(tmp_path, tiny_models_dir)
    nothing = nlbrief("translate", str(folder), "--include", "museum", *model)
    assert nothing.returncode == 0, nothing.stderr
    assert "note: --include museum matched nothing" in nothing.stderr
    assert "--include '*museum*'" in nothing.stderr
    found = nlbrief("translate", str(folder), "--include", "*museum*", *model, "--beams", "1")
    assert found.returncode == 0 and "matched nothing" not in found.stderr


def test_an_article_with_only_a_title_gets_no_invented_key_facts(
    tmp_path: Path, tiny_models_dir: Path
) -> None:
    folder = tmp_path / "nieuws"
    folder.mkdir()
    (folder / "2025-10-09-storm.txt").write_text("Zware storm op komst\nMeer volgt\n", encoding="utf-8")
    (folder / "2025-10-09-brand.txt").write_text(
        "Brand in de binnenstad\nEen pand aan de gracht is vannacht uitgebrand.\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    result = nlbrief(
        "process", str(folder), "-o", str(out), "--translator-model", str(tiny_models_dir / "translator"),
        "--summarizer-model", str(tiny_models_dir / "chat-summarizer"), "--bullets", "3", "--beams", "1",
        "--threads", "1",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    storm = json.loads((out / "2025-10-09-storm.json").read_text())
    assert storm["original_title"] == "Zware storm op komst" and storm["bullets"] == []
    assert any("no sentence besides its title" in w for w in storm["warnings"])
    assert f"warning: {folder / '2025-10-09-storm.txt'}: the article has no sentence" in result.stderr
    brand = json.loads((out / "2025-10-09-brand.json").read_text())
    assert len(brand["bullets"]) <= 1
    assert any("only 1 sentence: asked for 1 bullet, not 3" in w for w in brand["warnings"])


def test_a_copied_example_keeps_its_day_and_the_file_time_is_used_only_with_a_warning(
    tmp_path: Path, tiny_models_dir: Path
) -> None:
    examples = Path(__file__).resolve().parents[2] / "examples" / "nieuws"
    folder = tmp_path / "nieuws"
    folder.mkdir()
    shutil.copy(examples / "2025-10-08-begroting-maaswijk.txt", folder)
    (folder / "zonder-datum.txt").write_text("Het gemaal draait op volle kracht.\n", encoding="utf-8")
    (tmp_path / "english.txt").write_text("The pumping station runs at full power.\n", encoding="utf-8")
    for path in (*folder.iterdir(), tmp_path / "english.txt"):
        path.touch()  # a fresh clone or copy: every file time is now
    out = tmp_path / "out"
    result = nlbrief(
        "translate", str(folder), "-o", str(out), "--format", "json", "--beams", "1", "--threads", "1",
        "--translator-model", str(tiny_models_dir / "translator"),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    begroting = json.loads((out / "2025-10-08-begroting-maaswijk.json").read_text())
    assert (begroting["date"], begroting["date_source"]) == ("2025-10-08", "filename")
    undated = json.loads((out / "zonder-datum.json").read_text())
    today = dt.date.fromtimestamp((folder / "zonder-datum.txt").stat().st_mtime).isoformat()
    assert (undated["date"], undated["date_source"]) == (today, "mtime")
    [warning] = [w for w in undated["warnings"] if "modification time" in w]
    assert f"dated {today} by the file's modification time" in warning
    assert f"warning: {folder / 'zonder-datum.txt'}: {warning}" in result.stderr.splitlines()
    manifest = {Path(line["input"]).name: line for line in map(json.loads, (out / "manifest.jsonl").open())}
    assert warning in manifest["zonder-datum.txt"]["warnings"]
    assert not any("modification" in w for w in manifest["2025-10-08-begroting-maaswijk.txt"]["warnings"])
    # an English file summarized alone carries the warning into its record too
    summarized = nlbrief(
        "summarize", str(tmp_path / "english.txt"), "-o", str(tmp_path / "summaries"),
        "--summarizer-model", str(tiny_models_dir / "chat-summarizer"), "--threads", "1",
    )  # fmt: skip
    assert summarized.returncode == 0, summarized.stderr
    record = json.loads((tmp_path / "summaries" / "english.json").read_text())
    assert record["date_source"] == "mtime" and any("modification time" in w for w in record["warnings"])


# Runs nlbrief with the tiny chat model's generate() raising, as a model does on an input it cannot take
# (an IndexError), for any prompt holding EXPLODE.
FAILING_MODEL = """import sys
import transformers
from transformers import AutoTokenizer
from pipeline.cli.commands import main
tokenizer = AutoTokenizer.from_pretrained(sys.argv[1])
original = transformers.Qwen2ForCausalLM.generate
def generate(self, *args, **kwargs):
    if any("EXPLODE" in tokenizer.decode(row) for row in kwargs["input_ids"].tolist()):
        raise IndexError("index out of range in self")
    return original(self, *args, **kwargs)
transformers.Qwen2ForCausalLM.generate = generate
sys.argv = ["nlbrief", *sys.argv[2:]]
main()
"""


def test_a_model_error_on_one_article_is_one_error_line_and_the_others_are_written(
    tmp_path: Path, tiny_models_dir: Path
) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "good.txt").write_text(
        "Port volumes fall\n\nThe port of Rotterdam handled fewer containers than last year.\n", "utf-8"
    )
    (folder / "bad.txt").write_text(
        "Bridge closed\n\nThe EXPLODE bridge over the Meuse is closed for a week.\n", "utf-8"
    )
    out = tmp_path / "out"
    model = tiny_models_dir / "chat-summarizer"
    args = ["summarize", str(folder), "-o", str(out), "--summarizer-model", str(model), "--threads", "1"]
    result = subprocess.run(
        [sys.executable, "-c", FAILING_MODEL, str(model), *args], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    [error] = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert f"{folder / 'bad.txt'}: the summarizer failed on this article (IndexError" in error
    assert (out / "good.json").is_file() and not list(out.glob("bad.*"))
