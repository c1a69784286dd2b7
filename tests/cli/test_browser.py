"""The briefing page, and the article page it links, in a real browser: headless Chromium through
selenium 4 and Debian's chromedriver.

``make setup`` installs ``chromium`` and ``chromium-driver`` (apt) and selenium (the ``dev`` extra). These
tests fail, never skip, when they are missing: CI runs them. Selenium Manager is never used (the driver
and browser paths are given), so nothing is downloaded.
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.briefings import HOSTILE_TEXTS, hostile_briefing, sample_briefing

from pipeline.briefing.model import Briefing
from pipeline.briefing.outlets import reported_by, story_outlets
from pipeline.briefing.render import render_html

SETUP_HINT = "run `make setup` (it installs Debian's chromium and chromium-driver, and selenium)"


@pytest.fixture(scope="module")
def driver() -> Iterator:
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail(f"selenium is not installed: {SETUP_HINT}", pytrace=False)
    chromium = shutil.which("chromium")
    chromedriver = shutil.which("chromedriver")
    if not chromium or not chromedriver:
        missing = " and ".join(
            name for name, path in [("chromium", chromium), ("chromedriver", chromedriver)] if not path
        )
        pytest.fail(f"{missing} not found on PATH: {SETUP_HINT}", pytrace=False)

    profile = tempfile.mkdtemp(prefix="nlbrief-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SE_OFFLINE", "true")  # belt and braces: Selenium Manager may not fetch anything
        browser = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


def count_outlets(b: Briefing) -> Briefing:
    """``b`` with each story's outlets counted, as `nlbrief brief` counts them."""
    for story in b.stories:
        story.outlets, story.sources_without_outlet = story_outlets(story.sources)
    return b


def open_page(driver, b: Briefing, path: Path, *, width: int = 1280, height: int = 900) -> list[dict]:
    """Write ``b`` as HTML (the built-in template's page) to ``path``, open it via file:// at that window
    size; the console entries."""
    path.write_text(render_html(b), encoding="utf-8")
    driver.get_log("browser")  # drop what earlier pages logged
    driver.set_window_size(width, height)
    driver.get(path.as_uri())
    return driver.get_log("browser")


def assert_no_alert(driver) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        alert = driver.switch_to.alert
    except NoAlertPresentException:
        return
    text = alert.text
    alert.dismiss()
    pytest.fail(f"the page raised an alert: {text!r}")


def check_page(driver, b: Briefing, logs: list[dict]) -> None:
    from selenium.webdriver.common.by import By

    assert_no_alert(driver)
    severe = [entry for entry in logs if entry.get("level") == "SEVERE"]
    assert not severe, severe
    assert driver.execute_script("return document.scripts.length") == 0
    assert driver.title == f"{b.title} ({b.period})"
    assert driver.find_element(By.TAG_NAME, "h1").text == b.title
    sections = driver.find_elements(By.CSS_SELECTOR, "main > section")
    assert [s.get_attribute("id") for s in sections] == [story.anchor for story in b.stories]
    for section, story in zip(sections, b.stories, strict=True):
        section.location_once_scrolled_into_view  # noqa: B018 (scrolls it into view)
        assert section.is_displayed(), story.anchor
        assert section.find_element(By.TAG_NAME, "h2").text == story.headline
        outlets = section.find_elements(By.CSS_SELECTOR, "p.outlets")
        assert [p.text for p in outlets] == ([reported_by(story)] if reported_by(story) else [])
        assert all(p.is_displayed() for p in outlets)
        bullets = section.find_elements(By.CSS_SELECTOR, "ul.bullets > li")
        marks = story.bullet_checks + [""] * (len(story.bullets) - len(story.bullet_checks))
        shown = [" ".join(f"{b} {mark}".split()) for b, mark in zip(story.bullets, marks, strict=True)]
        assert [li.text.replace("\u26a0\ufe0e", "").replace("  ", " ").strip() for li in bullets] == shown
        for li, mark in zip(bullets, marks, strict=True):
            if mark:  # said in words beside the point, not by its colour alone
                check = li.find_element(By.CSS_SELECTOR, ".check")
                assert check.is_displayed() and check.text.endswith(mark)
        for checks in section.find_elements(By.CSS_SELECTOR, ".checks") if story.checks else []:
            assert checks.find_element(By.TAG_NAME, "h3").text.lower() == "checks"
            assert [li.text for li in checks.find_elements(By.TAG_NAME, "li")] == story.checks
        assert len(section.find_elements(By.CSS_SELECTOR, ".checks")) == bool(story.checks)
        assert len(section.find_elements(By.CSS_SELECTOR, "ul.sources > li")) == len(story.sources)
    toc = driver.find_elements(By.CSS_SELECTOR, "nav a")
    assert [a.get_attribute("href").rsplit("#", 1)[1] for a in toc] == [story.anchor for story in b.stories]


def no_horizontal_overflow(driver) -> bool:
    return driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")


def test_hostile_page_in_chromium(driver, tmp_path):
    b = count_outlets(hostile_briefing())
    logs = open_page(driver, b, tmp_path / "hostile.html")
    check_page(driver, b, logs)
    from selenium.webdriver.common.by import By

    hostile = driver.find_element(By.ID, "hostile")
    assert hostile.find_element(By.TAG_NAME, "h2").text == "<script>alert(1)</script>"
    assert driver.find_elements(By.TAG_NAME, "img") == []
    assert len(driver.find_elements(By.TAG_NAME, "h1")) == 1
    assert driver.execute_script("return document.querySelectorAll('[onerror],[onmouseover]').length") == 0
    hrefs = [a.get_attribute("href") for a in driver.find_elements(By.TAG_NAME, "a")]
    assert not any(h.lower().startswith("javascript:") for h in hrefs), hrefs
    body = driver.find_element(By.TAG_NAME, "body").text
    for text in HOSTILE_TEXTS:
        assert text in body, text
    driver.set_window_size(390, 844)
    assert no_horizontal_overflow(driver)
    shot = tmp_path / "hostile.png"
    assert driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000


def test_sample_page_in_chromium_on_a_phone(driver, tmp_path):
    b = count_outlets(sample_briefing())
    # a long unbroken URL and headline word must wrap, not widen the page
    b.stories[2].sources[0].url = "https://www.example.nl/" + "x" * 300
    b.stories[1].headline += " " + "Fietsenstallingsuitbreidingsplannen" * 3
    logs = open_page(driver, b, tmp_path / "briefing.html", width=390, height=844)
    check_page(driver, b, logs)
    assert driver.execute_script("return window.innerWidth") <= 390
    assert no_horizontal_overflow(driver)
    # the column is narrower than the window, and the font is not shrunk below a readable size
    font_px = driver.execute_script("return parseFloat(getComputedStyle(document.body).fontSize)")
    assert font_px >= 16
    driver.execute_script("window.scrollTo(0, 0)")
    shot = tmp_path / "briefing-phone.png"
    assert driver.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_sample_page_screenshot(driver, tmp_path):
    """The page as a reader sees it on a laptop; the screenshot is kept under tmp_path."""
    b = sample_briefing()
    logs = open_page(driver, b, tmp_path / "briefing.html", width=1000, height=1400)
    check_page(driver, b, logs)
    assert no_horizontal_overflow(driver)
    column = driver.execute_script("return document.querySelector('.page').getBoundingClientRect().width")
    assert column < 1000  # a max-width reading column
    driver.execute_script("window.scrollTo(0, 0)")
    shot = tmp_path / "briefing.png"
    assert driver.save_screenshot(str(shot))
    assert shot.stat().st_size > 20_000


def test_csp_blocks_a_script_that_got_into_the_page(driver, tmp_path):
    """A control: the page's Content-Security-Policy alone stops an inline script in Chromium."""
    b = sample_briefing()
    page = render_html(b).replace("<body>", "<body>\n<script>document.title = 'pwned'; alert(1)</script>", 1)
    path = tmp_path / "injected.html"
    path.write_text(page, encoding="utf-8")
    driver.get_log("browser")
    driver.get(path.as_uri())
    assert_no_alert(driver)
    assert driver.title != "pwned"
    logs = driver.get_log("browser")
    assert any("Content Security Policy" in entry["message"] for entry in logs), logs


ARTICLE = (
    "---\ntitle: Haven van Lemmerwijk krijgt nieuwe kade\nsource: Lemmerwijker Courant\nurl: {url}\n---\n\n"
    "De gemeente Lemmerwijk bouwt volgend jaar een nieuwe kade voor de binnenvaart.\n\n"
    "Schippers klagen al jaren over de oude kade, die bij hoog water onder loopt.\n"
)


class _SourcePage(http.server.BaseHTTPRequestHandler):
    """Stands in for the outlet's website: the article page's source link must lead here."""

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        body = b"<!doctype html><title>Lemmerwijker Courant</title><p>bron</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_full_translation_opens_the_html_article_page(driver, tmp_path, tiny_models_dir):
    """From a real `nlbrief brief`: the briefing's link opens the HTML article page, which shows the
    Dutch beside the English, says how it was made, marks a file date, and links the source."""
    from selenium.webdriver.common.by import By

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SourcePage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/nieuws/kade?id=7&bron=(rss)"
        folder = tmp_path / "nieuws"
        folder.mkdir()
        article = folder / "kade.md"
        article.write_text(ARTICLE.format(url=url), encoding="utf-8")
        stamp = dt.datetime(2025, 10, 8, 9, 30).timestamp()  # undated: placed by its file date
        os.utime(article, (stamp, stamp))
        out = tmp_path / "out"
        done = subprocess.run(
            [str(Path(sys.executable).parent / "nlbrief"), "brief", str(folder), "-o", str(out),
             "--translator-model", str(tiny_models_dir / "translator"),
             "--summarizer-model", str(tiny_models_dir / "chat-summarizer"),
             "--beams", "1", "--threads", "1"],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        record = json.loads((out / "articles" / "kade.json").read_text(encoding="utf-8"))

        driver.get_log("browser")
        driver.set_window_size(1280, 900)
        driver.get((out / "2025-10-08.html").as_uri())
        # what the checks found is on the page, in words: the story's Checks section, and a mark beside
        # each key point its record flagged
        [story] = json.loads((out / "2025-10-08.json").read_text(encoding="utf-8"))["stories"]
        checks = driver.find_element(By.CSS_SELECTOR, "section .checks")
        assert checks.is_displayed() and checks.find_element(By.TAG_NAME, "h3").text.lower() == "checks"
        assert [li.text for li in checks.find_elements(By.TAG_NAME, "li")] == story["checks"]
        marks = driver.find_elements(By.CSS_SELECTOR, "ul.bullets > li.flagged > .check")
        assert [m.text.replace("\u26a0\ufe0e", "").strip() for m in marks] == [
            m for m in story["bullet_checks"] if m
        ]
        assert all(m.is_displayed() for m in marks)
        # the page came from the built-in template, with the outlets line nlbrief counted
        outlets = driver.find_element(By.CSS_SELECTOR, "section p.outlets")
        assert outlets.is_displayed() and outlets.text == "Reported by 1 outlet: Lemmerwijker Courant"
        assert story["outlets"] == ["Lemmerwijker Courant"]
        driver.find_element(By.CSS_SELECTOR, "a.translation").click()
        assert driver.current_url == (out / "articles" / "kade.html").as_uri()
        assert_no_alert(driver)
        assert not [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
        assert driver.execute_script("return document.scripts.length") == 0
        headers = driver.find_elements(By.CSS_SELECTOR, "table.parallel thead th")
        assert [th.text.lower() for th in headers] == ["dutch original", "english (machine translation)"]
        rows = driver.find_elements(By.CSS_SELECTOR, "table.parallel tbody tr")
        paragraphs = record["translation"]["paragraphs"]
        assert len(rows) == 1 + len(paragraphs)  # the title, then each paragraph
        for row, paragraph in zip(rows[1:], paragraphs, strict=True):
            dutch, english = row.find_elements(By.TAG_NAME, "td")
            assert (dutch.get_attribute("lang"), english.get_attribute("lang")) == ("nl", "en")
            assert dutch.text == paragraph["source"]
            # the translation, with what the checks say of its flagged sentences beside them
            plain = driver.execute_script(
                "const c = arguments[0].cloneNode(true);"
                "c.querySelectorAll('.check').forEach(e => e.remove()); return c.textContent",
                english,
            )
            assert " ".join(plain.split()) == " ".join(paragraph["translation"].split())
            flagged = [s for s in paragraph["sentences"] if s["flagged"]]
            marks = english.find_elements(By.CSS_SELECTOR, "mark.flagged + .check")
            assert len(marks) == len(flagged) and all(m.text.startswith("Check: ") for m in marks)
            # side by side: the same row, Dutch on the left
            left, right = dutch.location, english.location
            assert left["y"] == right["y"] and left["x"] < right["x"]
        about = driver.find_element(By.CSS_SELECTOR, "p.about").text
        assert "2025-10-08 (file date)" in about and "Lemmerwijker Courant" in about
        footer = driver.find_element(By.TAG_NAME, "footer").text
        assert "Machine translation by" in footer and str(tiny_models_dir / "translator") in footer
        assert record["made_at"] in footer
        driver.set_window_size(390, 844)
        assert no_horizontal_overflow(driver)
        driver.set_window_size(1280, 900)
        shot = tmp_path / "article.png"
        assert driver.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
        link = driver.find_element(By.CSS_SELECTOR, "a.url")
        assert link.text == url
        link.click()
        assert driver.title == "Lemmerwijker Courant"
        assert driver.current_url.startswith(f"http://127.0.0.1:{server.server_port}/nieuws/kade?id=7")
    finally:
        server.shutdown()
        server.server_close()
