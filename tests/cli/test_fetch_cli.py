"""`nlbrief fetch` as a user runs it: the installed command against a news site on 127.0.0.1, its files
read back by nlbrief's own reader and translated by `nlbrief translate` with the tiny model."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from helpers.cli import nlbrief
from helpers.news_server import NewsServer
from helpers.news_site import BOILERPLATE, STORIES, serve_feeds

from pipeline.fetch.state import STATE_NAME
from pipeline.ingest.discover import SourceFile
from pipeline.ingest.sources import read_document


def test_fetch_help_explains_the_options() -> None:
    result = nlbrief("fetch", "--help", columns=120)
    assert result.returncode == 0, result.stderr
    text = re.sub(r"\s+", " ", result.stdout)
    for option in (
        "-o, --output DIR", "--feeds FILE", "--delay SECONDS", "--timeout SECONDS", "--max-size SIZE",
        "--allow-private", "--wait", "--quiet",
    ):  # fmt: skip
        assert option in text, option
    for words in ("OPML", "robots.txt", "conditional requests", "gzip bomb", "--allow-private"):
        assert words in text, words
    assert "[default: 1.0" in text and "[default: 10MB]" in text


def test_local_and_file_urls_are_refused_without_allow_private(tmp_path: Path) -> None:
    out = tmp_path / "nieuws"
    with NewsServer() as site:
        feeds = serve_feeds(site)
        result = nlbrief("fetch", feeds[0], "file:///etc/passwd", "-o", str(out), "--delay", "0")
        assert site.requests == []  # refused before anything was sent
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors == [
        f"error: {feeds[0]}: refused: 127.0.0.1 is a private or local address (127.0.0.1); pass "
        "--allow-private to fetch from your own network",
        "error: file:///etc/passwd: refused: only http and https URLs are fetched, and this is a file: URL",
    ]
    assert "Traceback" not in result.stderr
    assert list(out.glob("*.md")) == []


def test_fetched_articles_are_read_back_and_translated(tmp_path: Path, translator_dir: Path) -> None:
    out = tmp_path / "nieuws"
    with NewsServer() as site:
        feeds = serve_feeds(site)
        result = nlbrief("fetch", *feeds, "-o", str(out), "--allow-private", "--delay", "0")
        assert result.returncode == 0, result.stderr
        assert (
            result.stderr.splitlines()[-1]
            == f"4 written, 0 updated, 0 already fetched, 0 not Dutch, 0 failed -> {out}"
        )
        again = nlbrief("fetch", *feeds, "-o", str(out), "--allow-private", "--delay", "0", "-q")
    assert (again.returncode, again.stderr) == (0, "")
    files = sorted(out.glob("*.md"))
    assert len(files) == 4 and (out / STATE_NAME).is_file()
    for path in files:
        doc = read_document(SourceFile(path, out, path.name), path.read_bytes())
        story = next(s for s in STORIES if s.title == doc.title)
        assert doc.date == story.date and story.paragraphs[-1] in doc.paragraphs[-1].text
        assert not any(word in path.read_text(encoding="utf-8") for word in BOILERPLATE)
    translated = tmp_path / "vertaald"
    run = nlbrief(
        "translate", str(out), "-o", str(translated), "--translator-model", str(translator_dir), "-q"
    )
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in translated.glob("*.txt")) == sorted(p.stem + ".txt" for p in files)


def test_usage_mistakes_are_one_line_with_exit_2_and_nothing_fetched(tmp_path: Path) -> None:
    bad_toml = tmp_path / "feeds.toml"
    bad_toml.write_text('[oost]\nadres = "http://example.org/rss"\n', encoding="utf-8")
    not_opml = tmp_path / "lijst.txt"
    not_opml.write_text("http://example.org/rss\n", encoding="utf-8")
    out = tmp_path / "nieuws"
    cases = {
        ("fetch", "-o", str(out)): "nothing to fetch",
        ("fetch", "--feeds", str(bad_toml), "-o", str(out)): "unknown key 'adres'",
        ("fetch", str(not_opml), "-o", str(out)): "is not an OPML file",
        (
            "fetch",
            "http://example.org/rss",
            "--max-size",
            "veel",
            "-o",
            str(out),
        ): "--max-size 'veel' is not a size",
    }
    for args, message in cases.items():
        result = nlbrief(*args)
        assert result.returncode == 2, (args, result.stderr)
        [line] = result.stderr.splitlines()
        assert line.startswith("error: ") and message in line, line
    assert not out.exists()


def test_fetch_imports_no_model_library(tmp_path: Path) -> None:
    probe = (
        "import sys\nfrom pipeline.cli.commands import main\nsys.argv = ['nlbrief', 'fetch', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('torch' in sys.modules, 'transformers' in sys.modules)\n"
    )
    with NewsServer() as site:
        feeds = serve_feeds(site)
        args = [feeds[0], "-o", str(tmp_path / "nieuws"), "--allow-private", "--delay", "0", "-q"]
        result = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True)
    assert result.stdout.split() == ["False", "False"], result.stderr
    assert len(list((tmp_path / "nieuws").glob("*.md"))) == 2
