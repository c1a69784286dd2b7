"""Saved web pages in input folders, through the installed command on the tiny models: the article is
extracted (pipeline/ingest/html.py), reaches the records, and the extractor is recorded; a page without
an article fails alone, with one line."""

from __future__ import annotations

import json
from pathlib import Path

from helpers.cli import nlbrief
from helpers.corpus import write_articles
from helpers.pages import (
    ARTICLE_PAGE,
    ARTICLE_PARAGRAPHS,
    AUTHOR,
    BOILERPLATE,
    DATE,
    EMPTY_PAGE,
    SECOND_DATE,
    SECOND_FIRST_WORDS,
    SECOND_PAGE,
    SECOND_TITLE,
    TITLE,
    URL,
)

from pipeline.ingest.html import MIN_ARTICLE_WORDS


def test_process_a_folder_of_saved_article_pages(tmp_path: Path, tiny_models_dir: Path) -> None:
    folder = write_articles(
        tmp_path / "opgeslagen", {"fietsbrug.html": ARTICLE_PAGE, "dijk.htm": SECOND_PAGE}
    )
    out = tmp_path / "out"
    result = nlbrief(
        "process", str(folder), "-o", str(out), "--json",
        "--translator-model", str(tiny_models_dir / "translator"),
        "--summarizer-model", str(tiny_models_dir / "chat-summarizer"),
        "--beams", "1", "--bullets", "2", "--threads", "1",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and json.loads(result.stdout)["ok"] == 2

    record = json.loads((out / "fietsbrug.json").read_text(encoding="utf-8"))
    assert record["source_path"] == str(folder / "fietsbrug.html")
    assert (record["original_title"], record["date"], record["date_source"]) == (TITLE, DATE, "metadata")
    assert record["metadata"]["extractor"].startswith("trafilatura ")
    assert (record["metadata"]["url"], record["metadata"]["author"]) == (URL, AUTHOR)
    sources = [p["source"] for p in record["translation"]["paragraphs"]]
    assert [s for s in sources if s in ARTICLE_PARAGRAPHS] == ARTICLE_PARAGRAPHS
    dutch = "\n".join(sources).lower()
    assert not [phrase for phrase in BOILERPLATE if phrase.lower() in dutch]
    # The pages say where the text came from: the page's address, and what took the article out of it.
    extractor = record["metadata"]["extractor"]
    markdown = (out / "fietsbrug.md").read_text(encoding="utf-8")
    assert URL in markdown and f"- Article text taken from the web page by: {extractor}\n" in markdown
    html = (out / "fietsbrug.html").read_text(encoding="utf-8")
    assert f"<dt>Article text taken from the web page by</dt>\n<dd>{extractor}</dd>" in html

    second = json.loads((out / "dijk.json").read_text(encoding="utf-8"))
    assert (second["original_title"], second["date"]) == (SECOND_TITLE, SECOND_DATE)
    assert second["translation"]["paragraphs"][0]["source"].startswith(SECOND_FIRST_WORDS)
    assert second["metadata"]["extractor"] == record["metadata"]["extractor"]

    manifest = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert sorted(Path(line["input"]).name for line in manifest if line["status"] == "ok") == [
        "dijk.htm",
        "fietsbrug.html",
    ]


def test_translate_a_folder_with_a_page_without_an_article(tmp_path: Path, translator_dir: Path) -> None:
    folder = write_articles(
        tmp_path / "nieuws", {"fietsbrug.html": ARTICLE_PAGE, "niet-gevonden.html": EMPTY_PAGE}
    )
    out = tmp_path / "out"
    args = ["translate", str(folder), "-o", str(out), "--translator-model", str(translator_dir)]
    result = nlbrief(*args, "--json", "--beams", "1", "--threads", "1")
    assert result.returncode == 1, result.stderr  # one input failed, the run went on
    assert "Traceback" not in result.stderr
    summary = json.loads(result.stdout)
    assert (summary["ok"], summary["failed"]) == (1, 1)
    empty = str(folder / "niet-gevonden.html")
    errors = [line for line in result.stderr.splitlines() if empty in line]
    assert errors == [
        f"error: {empty}: is a web page without article text (no {MIN_ARTICLE_WORDS} words of it were "
        "found); "
        "save the article's text as a .txt or .md file and pass that"
    ]
    # Nothing of trafilatura's own logging reaches the user.
    assert not [line for line in result.stderr.splitlines() if "trafilatura" in line.lower()]
    translated = (out / "fietsbrug.txt").read_text(encoding="utf-8")
    assert translated.startswith(f"date {DATE}\n\n")
    assert not (out / "niet-gevonden.txt").exists()
    manifest = {Path(line["input"]).name: line for line in map(json.loads, (out / "manifest.jsonl").open())}
    assert manifest["fietsbrug.html"]["status"] == "ok"
    assert manifest["niet-gevonden.html"]["status"] == "failed"
    assert "web page without article text" in manifest["niet-gevonden.html"]["error"]
