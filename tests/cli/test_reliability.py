"""Crash, Ctrl-C and concurrency, on the installed command and the tiny models.

An unattended daily job must survive SIGKILL at any moment, stop cleanly on Ctrl-C, and never
let two runs on one output folder corrupt each other. Each test here runs real processes.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers.cli import NLBRIEF  # noqa: E402

from pipeline.errors import BusyError
from pipeline.run.lock import LOCK_NAME, FolderLock
from pipeline.translate.memory import FILE_NAME

FILES = 30
# Fixed so a failure can be replayed; the moments it picks still land all over the run.
KILL_SEED = 20261128

SUBJECTS = ["De gemeente", "Het kabinet", "De provincie", "Een woordvoerder", "De politie", "Het waterschap"]
VERBS = ["meldt dat", "zegt dat", "verwacht dat", "ontkent dat"]
CLAIMS = [
    "de dijk wordt versterkt",
    "de trein weer rijdt",
    "de huren stijgen",
    "het park in het voorjaar opengaat",
    "de school na de zomer sluit",
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = random.Random(7)
    folder = tmp_path_factory.mktemp("reliability") / "nieuws"
    folder.mkdir()
    for n in range(FILES):
        sentences = [
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(CLAIMS)}."
            for _ in range(rng.randint(2, 5))
        ]
        text = f"date 2025-10-{n % 28 + 1:02} Bericht {n}\n" + " ".join(sentences[:2])
        (folder / f"bericht-{n:02}.txt").write_text(text + "\n" + " ".join(sentences[2:]) + "\n", "utf-8")
    return folder


def process_command(corpus: Path, models: Path, out: Path) -> list[str]:
    return [
        NLBRIEF, "process", str(corpus), "-o", str(out),
        "--translator-model", str(models / "translator"),
        "--summarizer-model", str(models / "chat-summarizer"),
        "--beams", "1", "--bullets", "2", "--threads", "1",
        "--cache-dir", str(out.parent / f"{out.name}-cache"),
        # Small waves: outputs land every few files, so kills fall between and inside waves.
        "--wave-chars", "400",
    ]  # fmt: skip


def run(command: list[str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def comparable(record_path: Path) -> dict:
    """A record as it should be on every run: timings and the time it was made (and only they) differ."""
    record = json.loads(record_path.read_text(encoding="utf-8"))
    record.pop("timings")
    record.pop("made_at")
    return record


def comparable_page(page: Path) -> str:
    """An article page (Markdown or HTML) without the time it was made."""
    made = re.escape(json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))["made_at"])
    return re.sub(made, "", page.read_text(encoding="utf-8"))


def ok_lines(manifest: Path) -> int:
    try:
        return manifest.read_text(encoding="utf-8").count('"status": "ok"')
    except FileNotFoundError:
        return 0


def wait_until(condition: Callable[[], bool], process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None and not condition():
        time.sleep(0.005)


@pytest.fixture(scope="module")
def reference(corpus: Path, tiny_models_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An uninterrupted run: what every interrupted-and-resumed run must end up with."""
    out = tmp_path_factory.mktemp("reference") / "out"
    result = run([*process_command(corpus, tiny_models_dir, out), "-q"])
    assert result.returncode == 0, result.stderr
    return out


def assert_complete_and_equal_to(out: Path, reference: Path) -> None:
    names = sorted(p.name for p in out.iterdir() if p.suffix in {".json", ".md", ".html"})
    assert names == sorted(p.name for p in reference.iterdir() if p.suffix in {".json", ".md", ".html"})
    assert len(names) == 3 * FILES  # one record and two pages per input, no duplicates
    for name in names:
        if name.endswith(".json"):
            assert comparable(out / name) == comparable(reference / name), name
        else:
            assert comparable_page(out / name) == comparable_page(reference / name), name
    assert not [p for p in out.rglob("*") if p.name.startswith(".nlbrief-tmp-")]
    lines = [json.loads(line) for line in (out / "manifest.jsonl").read_text("utf-8").splitlines()]
    assert len(lines) == FILES, "one final manifest line per input"
    assert {line["status"] for line in lines} == {"ok"}
    assert len({line["source"] for line in lines}) == FILES
    assert {Path(line["output"]).name for line in lines} == {n for n in names if n.endswith(".json")}


def test_process_killed_at_random_moments_resumes_to_the_uninterrupted_result(
    corpus: Path, tiny_models_dir: Path, reference: Path, tmp_path: Path
) -> None:
    rng = random.Random(KILL_SEED)
    # One moment per stretch of the run: before any output (model loading), early, middle, late.
    stretches = [(0, 0), (1, 9), (10, 19), (20, FILES - 2)]
    killed_while_running = 0
    for attempt, (low, high) in enumerate(stretches):
        out = tmp_path / f"attempt-{attempt}"  # each kill hits a fresh run
        command = process_command(corpus, tiny_models_dir, out)
        manifest = out / "manifest.jsonl"
        target, delay = rng.randint(low, high), rng.uniform(0.0, 0.3)
        process = subprocess.Popen([*command, "-q"], stderr=subprocess.DEVNULL)
        wait_until(lambda m=manifest, t=target: ok_lines(m) >= t, process)
        time.sleep(delay)
        killed_while_running += process.poll() is None
        process.send_signal(signal.SIGKILL)
        process.wait()
        finished = ok_lines(manifest)

        rerun = run([*command, "--json"])
        assert rerun.returncode == 0, rerun.stderr
        summary = json.loads(rerun.stdout)
        assert (summary["ok"], summary["skipped"]) == (FILES - finished, finished), (attempt, target)
        assert_complete_and_equal_to(out, reference)
    assert killed_while_running >= 3, "the kills must land while the run is working"


def test_ctrl_c_stops_after_the_current_batch_and_a_rerun_finishes(
    corpus: Path, tiny_models_dir: Path, reference: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    command = process_command(corpus, tiny_models_dir, out)
    manifest = out / "manifest.jsonl"
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    wait_until(lambda: ok_lines(manifest) >= 3, process)
    assert process.poll() is None, "the run ended before Ctrl-C could be sent"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)

    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert "stopping after the current batch" in stderr
    report = re.search(r"interrupted: (\d+) done, 0 already up to date, 0 failed, (\d+) not done \(", stderr)
    assert report, stderr
    done, not_done = int(report[1]), int(report[2])
    assert done >= 3 and not_done >= 1 and done + not_done == FILES
    assert "rerun the same command to finish" in stderr
    written = sorted(out.glob("*.json"))
    assert len(written) == done == ok_lines(manifest)
    for path in written:  # what was done is complete, not cut off
        assert comparable(path) == comparable(reference / path.name)
    assert not [p for p in out.rglob("*") if p.name.startswith(".nlbrief-tmp-")]

    rerun = run([*command, "--json"])
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert (summary["ok"], summary["skipped"]) == (not_done, done)
    assert_complete_and_equal_to(out, reference)


def test_a_second_ctrl_c_stops_at_once_with_130(corpus: Path, tiny_models_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = process_command(corpus, tiny_models_dir, out)
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    wait_until(lambda: (out / LOCK_NAME).exists() and ok_lines(out / "manifest.jsonl") >= 1, process)
    process.send_signal(signal.SIGINT)
    time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    # When the second Ctrl-C lands while Python is already shutting down (the first one ended the run
    # quickly), the default action ends the process by SIGINT, which a shell reports as 130 too.
    assert process.returncode in (130, -signal.SIGINT), stderr
    assert "Traceback" not in stderr
    rerun = run([*command, "--json", "-q"])
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads(rerun.stdout)["ok"] + json.loads(rerun.stdout)["skipped"] == FILES


def test_the_folder_lock_refuses_a_second_holder_and_names_the_first(tmp_path: Path) -> None:
    with FolderLock(tmp_path / "out"):
        with pytest.raises(BusyError) as busy:
            FolderLock(tmp_path / "out").__enter__()
        assert f"pid {os.getpid()}" in str(busy.value)
        assert "--wait" in str(busy.value) and "another -o folder" in str(busy.value)
        assert busy.value.exit_code == 5
    with FolderLock(tmp_path / "out"):  # released on exit
        pass


def test_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(tmp_path / "out")], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    with pytest.raises(BusyError, match=f"pid {holder.pid}"):
        FolderLock(tmp_path / "out").__enter__()
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with FolderLock(tmp_path / "out"):
        pass


HOLD_LOCK = (
    "import sys, time\nfrom pathlib import Path\nfrom pipeline.run.lock import FolderLock\n"
    "with FolderLock(Path(sys.argv[1])):\n    print('held', flush=True)\n    time.sleep(120)\n"
)


def test_a_second_run_on_the_same_folder_exits_clearly_or_waits(
    corpus: Path, tiny_models_dir: Path, reference: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    command = process_command(corpus, tiny_models_dir, out)
    first = subprocess.Popen([*command, "-q"], stderr=subprocess.DEVNULL)
    wait_until(lambda: (out / LOCK_NAME).exists() and f"{first.pid}" in (out / LOCK_NAME).read_text(), first)
    assert first.poll() is None

    second = run(command)
    assert second.returncode == 5
    assert second.stderr.strip().splitlines() == [
        f"error: {out} is in use by another nlbrief run (pid {first.pid}, started "
        + second.stderr.split("started ")[1].split(")")[0]
        + "); wait for it to finish, pass --wait to queue behind it, or choose another -o folder"
    ]

    waiting = run([*command, "--wait", "--json"])
    assert first.wait() == 0
    assert waiting.returncode == 0, waiting.stderr
    assert "note: waiting for another nlbrief run" in waiting.stderr
    assert json.loads(waiting.stdout)["skipped"] == FILES  # it saw the first run's finished work
    assert_complete_and_equal_to(out, reference)


def test_concurrent_runs_sharing_the_translation_memory_agree(
    corpus: Path, translator_dir: Path, tmp_path: Path
) -> None:
    def command(out: str, *extra: str) -> list[str]:
        return [
            NLBRIEF, "translate", str(corpus), "-o", str(tmp_path / out), "--translator-model",
            str(translator_dir), "--beams", "1", "--threads", "1", "--wave-chars", "300", "-q", *extra,
        ]  # fmt: skip

    runs = [
        subprocess.Popen(command(name, "--cache-dir", str(tmp_path / "cache")), stderr=subprocess.PIPE)
        for name in ("a", "b")
    ]
    assert [r.wait(timeout=300) for r in runs] == [0, 0]
    assert run(command("uncached", "--no-cache")).returncode == 0
    for path in sorted((tmp_path / "uncached").glob("*.txt")):
        assert (tmp_path / "a" / path.name).read_bytes() == path.read_bytes()
        assert (tmp_path / "b" / path.name).read_bytes() == path.read_bytes()
    with sqlite3.connect(tmp_path / "cache" / FILE_NAME) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
