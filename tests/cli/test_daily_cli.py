"""`nlbrief daily` as cron runs it: the installed command in a folder holding nlbrief.toml, against a news
site on 127.0.0.1 (an RSS and an Atom feed of Dutch article pages dated today), with the tiny models."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.cli import NLBRIEF, nlbrief
from helpers.news_server import NewsServer
from helpers.news_site import serve_feeds

from pipeline.fetch.state import STATE_NAME
from pipeline.run.lock import LOCK_NAME

ZONE = "Europe/Amsterdam"
PROBE = (
    "import sys\nfrom pipeline.cli.commands import main\nsys.argv = ['nlbrief', *sys.argv[1:]]\n"
    "try:\n    main()\nexcept SystemExit as done:\n    code = done.code\n"
    "print(code, 'torch' in sys.modules, 'transformers' in sys.modules)\n"
)


def today() -> str:
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo(ZONE)).date().isoformat()


def config_text(feeds: list[str], models: Path) -> str:
    tables = "".join(f'\n[feeds.bron{n}]\nurl = "{url}"\n' for n, url in enumerate(feeds, start=1))
    return (
        f'news = "nieuws"\noutput = "briefings"\ntimezone = "{ZONE}"\n'
        f'translator-model = "{models / "translator"}"\nsummarizer-model = "{models / "chat-summarizer"}"\n'
        f'cache-dir = "cache"\nbeams = 1\nthreads = 1\n'
        # The site is on this machine: a config file may allow what fetch refuses by default.
        f"allow-private = true\ndelay = 0\n" + tables
    )


def test_daily_help_explains_the_options() -> None:
    result = nlbrief("daily", "--help", columns=120)
    assert result.returncode == 0, result.stderr
    text = re.sub(r"\s+", " ", result.stdout)
    for option in (
        "--config FILE", "--date YYYY-MM-DD", "--timezone ZONE", "--news DIR", "-o, --output DIR",
        "--articles DIR", "--delay SECONDS", "--allow-private", "--translator-model ID|DIR",
        "--summarizer-model ID|DIR", "--beams N", "--wait", "--quiet", "--json",
    ):  # fmt: skip
        assert option in text, option
    for words in ("nlbrief.toml in the working folder", "[feeds.NAME]", "long names", "today in --timezone"):
        assert words in text, words
    assert "Exit status" in text and "1 when a feed failed" in text


def test_daily_fetches_the_feeds_then_writes_the_briefing_and_a_rerun_changes_nothing(
    tmp_path: Path, tiny_models_dir: Path
) -> None:
    day = today()
    with NewsServer() as site:
        feeds = serve_feeds(site, day)
        (tmp_path / "nlbrief.toml").write_text(config_text(feeds, tiny_models_dir), encoding="utf-8")
        first = nlbrief("daily", "--json", cwd=tmp_path, timeout=600)
        assert first.returncode == 0, first.stderr
        fetched = f"4 written, 0 updated, 0 already fetched, 0 not Dutch, 0 failed -> {Path('nieuws')}"
        assert fetched in first.stderr.splitlines()
        assert "Traceback" not in first.stderr
        summary = json.loads(first.stdout)
        assert summary["briefing"]["status"] == "written" and summary["briefing"]["articles"] == 4
        # The rerun as an hourly job makes it: nothing new, so no model library is even imported.
        again = subprocess.run(
            [sys.executable, "-c", PROBE, "daily", "--quiet", "--json"],
            capture_output=True, text=True, timeout=300, cwd=tmp_path,
        )  # fmt: skip
    assert again.stderr == ""
    summary_line, probed = again.stdout.splitlines()
    assert json.loads(summary_line)["briefing"]["status"] == "up to date"
    assert probed.split() == ["0", "False", "False"]  # exit status, torch imported, transformers imported
    news = tmp_path / "nieuws"
    assert len(list(news.glob(f"{day}-*.md"))) == 4 and (news / STATE_NAME).is_file()
    briefings = tmp_path / "briefings"
    for suffix in (".md", ".html", ".json"):
        assert (briefings / f"{day}{suffix}").stat().st_size > 200
    assert (briefings / "briefings.atom").is_file() and (briefings / LOCK_NAME).exists()
    assert len(list((briefings / "articles").glob("*.json"))) == 4
    assert any((tmp_path / "cache").iterdir())  # the translation memory, where the file put it
    briefing = json.loads((briefings / f"{day}.json").read_text(encoding="utf-8"))
    assert briefing["period"] == day and sum(len(s["sources"]) for s in briefing["stories"]) == 4
    # The rerun asked each feed once, with its validators (answered 304), and fetched no page again.
    assert [r.path for r in site.requests].count("/nieuws/brug-zwolle") == 1
    assert all(r.headers.get("if-none-match") for r in site.asked("/rss.xml")[1:])
    # Each article page names its outlet (the feed's name), not the feed's address its `source` holds.
    pages = list((briefings / "articles").glob("*.html"))
    assert len(pages) == 4
    for page in pages:
        outlet = page.read_text(encoding="utf-8").split('<span class="outlet">', 1)[1].split("<", 1)[0]
        assert outlet and not outlet.startswith("http"), page


def test_a_failed_feed_is_reported_and_the_briefing_still_made(tmp_path: Path, tiny_models_dir: Path) -> None:
    day = today()
    with NewsServer() as site:
        feeds = serve_feeds(site, day)
        text = config_text([feeds[0], site.url("/verdwenen.xml")], tiny_models_dir)
        (tmp_path / "nlbrief.toml").write_text(text, encoding="utf-8")
        result = nlbrief("daily", "-q", cwd=tmp_path, timeout=600)
    assert result.returncode == 1, result.stderr
    assert f"error: {site.url('/verdwenen.xml')}: " in result.stderr and "Traceback" not in result.stderr
    briefing = json.loads((tmp_path / "briefings" / f"{day}.json").read_text(encoding="utf-8"))
    assert sum(len(s["sources"]) for s in briefing["stories"]) == 2  # the RSS feed's two articles


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--timezone", "Europe/Zwolle"], "error: timezone 'Europe/Zwolle' is not a time zone; "),
        (["--config", "elders.toml"], "error: cannot read --config elders.toml: "),
        (["--max-file-size", "veel"], "error: --max-file-size 'veel' is not a size; "),
    ],
)
def test_the_command_line_wins_over_the_file_and_a_mistake_stops_before_fetching(
    tmp_path: Path, args: list[str], message: str
) -> None:
    with NewsServer() as site:
        feeds = serve_feeds(site, today())
        (tmp_path / "nlbrief.toml").write_text(config_text(feeds, tmp_path), encoding="utf-8")
        result = nlbrief("daily", *args, cwd=tmp_path)
        assert site.requests == []
    assert result.returncode == 2
    assert result.stderr.startswith(message) and len(result.stderr.splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nlbrief.toml"]


def test_a_bad_config_file_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "nlbrief.toml").write_text('beams = "vier"\n[feeds.oost]\nurl = "https://a.example/"\n')
    result = nlbrief("daily", cwd=tmp_path)
    assert result.returncode == 2
    wrong = "beams = 'vier' is not a whole number; fix the value"
    assert result.stderr == f"error: {Path('nlbrief.toml')}: {wrong}\n"


def test_an_environment_variable_wins_over_the_file(tmp_path: Path, tiny_models_dir: Path) -> None:
    missing = tmp_path / "geen-model"
    with NewsServer() as site:
        feeds = serve_feeds(site, today())
        (tmp_path / "nlbrief.toml").write_text(config_text(feeds, tiny_models_dir), encoding="utf-8")
        env = {**os.environ, "NLBRIEF_TRANSLATOR_MODEL": str(missing)}
        result = subprocess.run(
            [NLBRIEF, "daily", "-q"], capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path
        )
    assert result.returncode == 3, result.stderr
    assert str(missing) in result.stderr and "Traceback" not in result.stderr
