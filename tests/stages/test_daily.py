"""nlbrief.toml, the config file of `nlbrief daily`: its keys are daily's own option names, its feeds are
read by fetch's reader, a wrong key or value is a usage error naming it, and today is the time zone's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline.cli.config_options import DAILY_SETTINGS
from pipeline.errors import UsageError
from pipeline.fetch.sources import FeedSpec
from pipeline.stages.daily import CONFIG_NAME, read_config, today

FEEDS = """
[feeds.oost]
url = "https://dagblad-oost.example/rss.xml"
name = "Dagblad Oost"
exclude = ["*sport*"]

[feeds.noord]
url = "https://noorderkrant.example/atom.xml"
"""


def write(folder: Path, text: str) -> Path:
    path = folder / CONFIG_NAME
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_gives_option_values_by_parameter_name_and_the_feeds(tmp_path: Path) -> None:
    top = (
        'news = "nieuws"\noutput = "/srv/briefings"\ntimezone = "Europe/Amsterdam"\nbeams = 1\n'
        'translator-model = "Helsinki-NLP/opus-mt-nl-en"\ngroup-threshold = 1\nallow-private = true\n'
        'include = ["*.md"]\njson = true\nlanguage-check = false\n'
    )
    config = read_config(write(tmp_path, top + FEEDS), DAILY_SETTINGS)
    assert config.values == {
        "news": tmp_path / "nieuws",  # relative to the file's folder, not the working folder
        "output": Path("/srv/briefings"),
        "timezone": "Europe/Amsterdam",
        "beams": 1,
        "translator_model": "Helsinki-NLP/opus-mt-nl-en",
        "group_threshold": 1.0,
        "allow_private": True,
        "include": ["*.md"],
        "json_summary": True,
        "language_check": False,
    }
    assert isinstance(config.values["group_threshold"], float)
    assert config.feeds == (
        FeedSpec(url="https://dagblad-oost.example/rss.xml", name="Dagblad Oost", exclude=("*sport*",)),
        FeedSpec(url="https://noorderkrant.example/atom.xml"),
    )


def test_the_file_in_the_working_folder_is_found_and_its_absence_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError, match=r"no nlbrief\.toml in .*; write one there .* or pass --config FILE"):
        read_config(None, DAILY_SETTINGS)
    write(tmp_path, "beams = 2\n" + FEEDS)
    assert read_config(None, DAILY_SETTINGS).values == {"beams": 2}


def test_an_unknown_key_is_refused_with_the_valid_ones(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        read_config(write(tmp_path, "beam = 2\n" + FEEDS), DAILY_SETTINGS)
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / CONFIG_NAME}: unknown key 'beam'; the keys are allow-pickle, ")
    for key in ("beams", "feeds", "translator-model", "summarizer-model", "news", "timezone", "output"):
        assert f" {key}," in message or message.endswith(f" {key}"), key
    # --config and --date are the command line's: a day in the file would brief that day every day.
    assert " date," not in message and " config," not in message
    with pytest.raises(UsageError, match="unknown key 'translator_model'; write it 'translator-model'; "):
        read_config(write(tmp_path, 'translator_model = "x"\n' + FEEDS), DAILY_SETTINGS)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('beams = "vier"', "beams = 'vier' is not a whole number; fix the value"),
        ("beams = 0", "beams = 0 is below 1; fix the value"),
        ("group-threshold = 1.5", "group-threshold = 1.5 is above 1.0; fix the value"),
        ("allow-private = 1", "allow-private = 1 is not true or false; fix the value"),
        ("delay = true", "delay = True is not a number; fix the value"),
        ("news = 3", "news = 3 is not a path; fix the value"),
        ('include = [1, "*.md"]', "include = 1 is not a list of text values, such as [...]; fix the value"),
    ],
)
def test_a_value_of_the_wrong_type_or_out_of_bounds_is_named(tmp_path: Path, line: str, message: str) -> None:
    path = write(tmp_path, line + "\n" + FEEDS)
    with pytest.raises(UsageError) as caught:
        read_config(path, DAILY_SETTINGS)
    assert str(caught.value) == f"{path}: {message}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("beams = 1\n", "names no feeds; fix "),
        ("feeds = 3\n", "names no feeds; fix "),
        ("[feeds.oost]\nname = 'Oost'\n", "[feeds], [oost] has no url; fix "),
        ("[feeds.oost]\nurl = 'https://a.example/'\nlink = 'x'\n", "unknown key 'link'; the keys are url, "),
        ("beams = [", "is not valid TOML"),
    ],
)
def test_feeds_are_read_by_fetchs_reader_and_their_mistakes_named(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(UsageError) as caught:
        read_config(write(tmp_path, text), DAILY_SETTINGS)
    assert message in str(caught.value) and str(tmp_path / CONFIG_NAME) in str(caught.value)


def test_options_the_user_gave_win_over_the_file(tmp_path: Path) -> None:
    config = read_config(write(tmp_path, "beams = 1\nbullets = 5\n" + FEEDS), DAILY_SETTINGS)
    options = {"beams": 4, "bullets": 3, "threads": 2}
    assert config.merged(options, given={"beams"}) == {"beams": 4, "bullets": 5, "threads": 2}


def test_today_is_the_days_of_the_configured_time_zone() -> None:
    late = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)
    assert today("Europe/Amsterdam", late) == "2026-03-02"
    assert today("America/New_York", late) == "2026-03-01"
    assert today(None, late) == late.astimezone().date().isoformat()  # the machine's own zone
    with pytest.raises(UsageError, match=r"timezone 'Europe/Zwolle' is not a time zone; .*Europe/Amsterdam"):
        today("Europe/Zwolle", late)


def test_the_feeds_may_be_fetchs_own_feeds_file(tmp_path: Path) -> None:
    (tmp_path / "feeds.toml").write_text(FEEDS.replace("[feeds.", "["), encoding="utf-8")
    config = read_config(write(tmp_path, 'feeds = "feeds.toml"\nbeams = 1\n'), DAILY_SETTINGS)
    assert [spec.url for spec in config.feeds] == [
        "https://dagblad-oost.example/rss.xml", "https://noorderkrant.example/atom.xml"
    ]  # fmt: skip
    assert config.values == {"beams": 1}
    with pytest.raises(UsageError, match=r"cannot read --feeds .*elders\.toml"):
        read_config(write(tmp_path, 'feeds = "elders.toml"\n'), DAILY_SETTINGS)
