"""``--engine ray`` as a user runs it: the installed command on a Ray head of 127.0.0.1 (2 CPUs), on
the tiny models, against the local engine on the same articles. Run these alone with ``pytest -m ray``."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.cli import NLBRIEF, nlbrief
from helpers.corpus import write_articles
from helpers.ray_cluster import processes_with, ray_head

# One worker runs them all, one after the other: they share one Ray head (make test: --dist loadfile).
pytestmark = pytest.mark.ray

TOPICS = [
    ("haven", "De haven van Rotterdam sloeg in het derde kwartaal {n} procent minder containers over."),
    ("school", "Het kabinet trekt {n} miljoen euro uit voor scholen in Utrecht en Den Haag."),
    ("weer", "Het KNMI verwacht dat het op dinsdag {n} graden wordt in Maastricht."),
    ("trein", "De NS zet vanaf maandag {n} extra treinen in tussen Amsterdam en Eindhoven."),
]
MADE_AT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}")
# Small waves: several per run, so that the actors share them out and a killed one has work in hand.
WAVE_CHARS = "400"


def articles() -> dict[str, str]:
    """20 short Dutch articles of our own, in two folders."""
    found = {}
    for n in range(20):
        slug, sentence = TOPICS[n % len(TOPICS)]
        body = " ".join(sentence.format(n=n + k) for k in range(3))
        title = f"Nieuws over {slug} nummer {n}"
        folder = "binnenland" if n % 2 else "economie"
        found[f"{folder}/2025-10-{n + 1:02d}-{slug}.md"] = (
            f"---\ntitle: {title}\n---\n\n{body}\n\nSlot {n}.\n"
        )
    return found


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """The head, and every nlbrief the tests start, without Ray's token authentication: a cluster on
    127.0.0.1 for the tests alone, whatever token an earlier Ray left in ~/.ray."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RAY_AUTH_MODE", "disabled")
        with ray_head(cpus=2) as address:
            yield address


@pytest.fixture
def news(tmp_path: Path) -> Path:
    return write_articles(tmp_path / "nieuws", articles())


def translator(tiny_models_dir: Path) -> list[str]:
    model = str(tiny_models_dir / "translator")
    return ["--translator-model", model, "--beams", "1", "--wave-chars", WAVE_CHARS, "--json"]


def outputs(folder: Path) -> dict[str, object]:
    """Every output but the manifest, by path: JSON without its timings and time of making."""
    found: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name in ("manifest.jsonl", ".nlbrief.lock"):
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            found[str(path.relative_to(folder))] = _untimed(json.loads(text))
        else:
            found[str(path.relative_to(folder))] = _untimed_text(text)
    return found


def _untimed(value: object) -> object:
    if isinstance(value, dict):
        return {k: _untimed(v) for k, v in value.items() if k not in ("timings", "made_at", "time")}
    if isinstance(value, list):
        return [_untimed(v) for v in value]
    return value


def _untimed_text(text: str) -> str:
    """A Markdown or HTML page with its time of making masked (pages show no durations)."""
    return MADE_AT.sub("TIME", text)


def manifest(folder: Path, *, hashes: bool = True) -> dict[str, object]:
    """The manifest's lines by input, without times, and with the output folder's path as OUT; without
    the outputs' hashes where the outputs hold their times of making (process's records)."""
    text = (folder / "manifest.jsonl").read_text().replace(str(folder), "OUT")
    lines = [json.loads(line) for line in text.splitlines()]
    if not hashes:
        for line in lines:
            line["outputs"] = sorted(line["outputs"])
    return {line["source"]: _untimed(line) for line in lines}


def memory_rows(cache: Path) -> set[tuple]:
    with sqlite3.connect(next(cache.glob("*.sqlite3"))) as db:
        table = "translations"
        columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
        kept = [c for c in columns if c not in ("created", "used", "last_used", "stored_at")]
        return set(db.execute(f"SELECT {', '.join(kept)} FROM {table}"))


def test_translate_on_ray_writes_what_the_local_engine_writes_and_a_rerun_skips_all(
    cluster: str, news: Path, tmp_path: Path, tiny_models_dir: Path
) -> None:
    local, ray = tmp_path / "local", tmp_path / "ray"
    args = ["translate", str(news), *translator(tiny_models_dir), "--format", "json"]
    done = nlbrief(*args, "-o", str(local), "--cache-dir", str(tmp_path / "cache-local"))
    assert done.returncode == 0, done.stderr
    on_ray = nlbrief(
        *args, "-o", str(ray), "--cache-dir", str(tmp_path / "cache-ray"),
        "--engine", "ray", "--ray-address", cluster,
    )  # fmt: skip
    assert on_ray.returncode == 0, on_ray.stderr
    assert "Traceback" not in on_ray.stderr
    assert json.loads(on_ray.stdout)["ok"] == 20
    assert len(outputs(ray)) == 20 and outputs(ray) == outputs(local)
    assert manifest(ray) == manifest(local) and len(manifest(ray)) == 20
    assert memory_rows(tmp_path / "cache-ray") == memory_rows(tmp_path / "cache-local")
    # the rerun finds everything done before it asks the cluster for anything
    again = nlbrief(*args, "-o", str(ray), "--cache-dir", str(tmp_path / "cache-ray"), "--engine", "ray",
                    "--ray-address", "127.0.0.1:1")  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert (json.loads(again.stdout)["skipped"], json.loads(again.stdout)["ok"]) == (20, 0)


def test_process_on_ray_writes_what_the_local_engine_writes(
    cluster: str, news: Path, tmp_path: Path, tiny_models_dir: Path
) -> None:
    summarizer = ["--summarizer-model", str(tiny_models_dir / "chat-summarizer"), "--bullets", "2"]
    args = ["process", str(news), *translator(tiny_models_dir), *summarizer, "--no-cache"]
    local, ray = tmp_path / "local", tmp_path / "ray"
    done = nlbrief(*args, "-o", str(local))
    assert done.returncode == 0, done.stderr
    on_ray = nlbrief(*args, "-o", str(ray), "--engine", "ray", "--ray-address", cluster)
    assert on_ray.returncode == 0, on_ray.stderr
    assert json.loads(on_ray.stdout)["ok"] == 20
    assert len(outputs(ray)) == 60 and outputs(ray) == outputs(local)
    assert manifest(ray, hashes=False) == manifest(local, hashes=False) and len(manifest(ray)) == 20


def test_an_actor_killed_during_the_run_is_replaced_and_the_outputs_are_the_same(
    cluster: str, news: Path, tmp_path: Path, tiny_models_dir: Path
) -> None:
    args = ["translate", str(news), *translator(tiny_models_dir), "--no-cache"]
    local, ray = tmp_path / "local", tmp_path / "ray"
    assert nlbrief(*args, "-o", str(local)).returncode == 0
    run = subprocess.Popen(
        [NLBRIEF, *args, "-o", str(ray), "--engine", "ray", "--ray-address", cluster],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    killed, written_then = _kill_an_actor_after_the_first_output(run, ray)
    stdout, stderr = run.communicate(timeout=300)
    assert run.returncode == 0, stderr
    assert killed and written_then < 20  # the actor died with work still to do
    assert json.loads(stdout)["ok"] == 20
    assert outputs(ray) == outputs(local) and len(manifest(ray)) == 20


def _kill_an_actor_after_the_first_output(run: subprocess.Popen[str], out: Path) -> tuple[bool, int]:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and run.poll() is None:
        written = len(list(out.rglob("*.txt")))
        actors = processes_with("StepWorker")
        if written and actors:
            os.kill(actors[0], signal.SIGKILL)
            return True, written
        time.sleep(0.02)
    return False, len(list(out.rglob("*.txt")))


def test_engine_ray_without_ray_installed_says_how_to_get_it(
    news: Path, tmp_path: Path, tiny_models_dir: Path
) -> None:
    hide = tmp_path / "no-ray"
    hide.mkdir()
    (hide / "sitecustomize.py").write_text("import sys\nsys.modules['ray'] = None  # as if not installed\n")
    env = {**os.environ, "PYTHONPATH": str(hide)}
    args = [NLBRIEF, "translate", str(news), *translator(tiny_models_dir), "--engine", "ray"]
    result = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["error: --engine ray needs Ray: pip install 'nlbrief[ray]'"]
    assert not (tmp_path / "outputs").exists()


def test_a_model_that_fails_on_the_workers_fails_the_run_as_it_does_locally(
    cluster: str, news: Path, tmp_path: Path, tiny_models_dir: Path
) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(tiny_models_dir / "translator", broken)
    (broken / "model.safetensors").write_bytes(b"not a safetensors file" * 50)
    args = ["translate", str(news), "--translator-model", str(broken), "--beams", "1", "--no-cache", "-q"]
    local = nlbrief(*args, "-o", str(tmp_path / "local"))
    on_ray = nlbrief(*args, "-o", str(tmp_path / "ray"), "--engine", "ray", "--ray-address", cluster)
    assert (local.returncode, on_ray.returncode) == (3, 3)
    errors = [line for line in on_ray.stderr.splitlines() if line.startswith("error:")]
    assert errors == [line for line in local.stderr.splitlines() if line.startswith("error:")]
    assert "cannot convert" in errors[0] and "Traceback" not in on_ray.stderr
    # every input is accounted for: failed with that error, to be done by a rerun
    failed = [json.loads(line) for line in (tmp_path / "ray" / "manifest.jsonl").read_text().splitlines()]
    assert len(failed) == 20 and {line["status"] for line in failed} == {"failed"}


def test_a_driver_killed_mid_run_is_resumed_by_the_same_command(
    cluster: str, news: Path, tmp_path: Path, tiny_models_dir: Path
) -> None:
    args = ["translate", str(news), *translator(tiny_models_dir), "--no-cache"]
    local, ray = tmp_path / "local", tmp_path / "ray"
    assert nlbrief(*args, "-o", str(local)).returncode == 0
    on_ray = [*args, "-o", str(ray), "--engine", "ray", "--ray-address", cluster]
    run = subprocess.Popen([NLBRIEF, *on_ray], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and run.poll() is None and not list(ray.rglob("*.txt")):
        time.sleep(0.02)
    run.kill()  # SIGKILL: no cleanup of any kind
    run.wait(timeout=60)
    saved = len(list(ray.rglob("*.txt")))
    assert 0 < saved < 20 and len(manifest(ray)) == saved  # every saved output has its line, no more
    again = nlbrief(*on_ray)
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert (summary["skipped"], summary["ok"]) == (saved, 20 - saved)
    assert outputs(ray) == outputs(local) and len(manifest(ray)) == 20
