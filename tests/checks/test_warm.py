"""The checks' tables are built in the background while a run loads its models, once, and a check
that comes first waits for them rather than building them a second time."""

from __future__ import annotations

import threading

import pytest

from pipeline.checks import feasts, places, warm
from pipeline.checks.sentence import check_sentence


@pytest.fixture
def fresh_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    places._city_tables.cache_clear()
    feasts.feast_names.cache_clear()
    monkeypatch.setattr(warm, "_builder", None)


def test_the_tables_are_built_by_one_background_thread_started_once(fresh_tables: None) -> None:
    warm.start_building()
    builder = warm._builder
    assert builder is not None and builder.name == "nlbrief-check-tables" and builder.daemon
    warm.start_building()  # a second run in the same process starts nothing new
    assert warm._builder is builder
    warm.wait_for_tables()
    assert not builder.is_alive()
    assert places._city_tables.cache_info().currsize == 1 and feasts.feast_names.cache_info().currsize == 1


def test_a_check_that_comes_first_waits_for_the_background_build(
    fresh_tables: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release = threading.Event(), threading.Event()
    real_build = warm.build_tables

    def slow_build() -> None:
        started.set()
        release.wait(5)
        real_build()

    builders: list[str] = []
    real_geonames = places._geonames

    def recorded_geonames():  # type: ignore[no-untyped-def]
        builders.append(threading.current_thread().name)
        return real_geonames()

    monkeypatch.setattr(warm, "build_tables", slow_build)
    monkeypatch.setattr(places, "_geonames", recorded_geonames)
    warm.start_building()
    assert started.wait(5)
    threading.Timer(0.5, release.set).start()  # the check below comes first, while the build is held
    findings = check_sentence("Hij kocht 3 fietsen in Utrecht.", "He bought 4 bikes in Utrecht.")
    assert any("3" in f.message for f in findings)
    assert warm._builder is not None and not warm._builder.is_alive()  # it waited for the build
    assert builders == ["nlbrief-check-tables"]  # the city tables were read once, by the thread
