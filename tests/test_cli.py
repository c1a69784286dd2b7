"""The installed ``nlbrief`` command in a subprocess, on real files, with the tiny translator."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

NLBRIEF = str(Path(sys.executable).parent / "nlbrief")

GOOD_DATE_LINE = (
    "date 2025-10-08 Het kabinet trekt extra geld uit voor de jeugdzorg. Gemeenten krijgen volgend jaar "
    "300 miljoen euro meer.\nVolgens de minister is dat nodig om wachtlijsten te verkorten.\nReactie van "
    "gemeenten\nDe VNG noemt het bedrag een goed begin, maar niet genoeg.\n"
)
GOOD_FRONT_MATTER = (
    "---\ntitle: Treinverkeer rond Utrecht hersteld\ndate: 2025-10-08\nsource: Eigen redactie\n---\n\n"
    "Na een storing in de ochtend rijden de treinen rond Utrecht weer volgens de dienstregeling.\n\n"
    "ProRail onderzoekt nog wat de oorzaak was. Reizigers kunnen hun geld terugvragen.\n"
)
GERMAN = "Die Regierung hat am Montag gesagt, dass sie die Steuern nicht erhöhen wird. Das ist nicht neu.\n"


def nlbrief(*args: str, stdin: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NLBRIEF, *args], input=stdin, capture_output=True, text=True, timeout=timeout, env=os.environ.copy()
    )


@pytest.fixture
def mixed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "nieuws"
    (folder / "binnenland").mkdir(parents=True)
    (folder / "jeugdzorg.txt").write_text(GOOD_DATE_LINE, encoding="utf-8")
    (folder / "binnenland" / "trein.md").write_text(GOOD_FRONT_MATTER, encoding="utf-8")
    (folder / "oud.txt").write_bytes(
        "Café de Zwaan sluit na 80 jaar. De eigenaar gaat met pensioen.\n".encode("cp1252")
    )
    (folder / "leeg.txt").write_bytes(b"")
    (folder / "plaatje.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (folder / "duits.txt").write_text(GERMAN, encoding="utf-8")
    (folder / ".verborgen.txt").write_text("Dit wordt niet gelezen.\n", encoding="utf-8")
    (folder / "foto.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    return folder


def test_translate_a_folder_mixing_good_and_bad_files(
    mixed_folder: Path, tmp_path: Path, translator_dir: Path
) -> None:
    out = tmp_path / "out"
    missing = str(tmp_path / "bestaat-niet.txt")
    args = [
        "translate",
        str(mixed_folder),
        missing,
        "-o",
        str(out),
        "--translator-model",
        str(translator_dir),
    ]
    result = nlbrief(*args, "--json", "--threads", "1", "--beams", "1")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    summary = json.loads(result.stdout)
    assert (summary["ok"], summary["failed"], summary["skipped"]) == (3, 4, 0)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 4
    for name in ["leeg.txt", "plaatje.txt", "duits.txt", "bestaat-niet.txt"]:
        assert sum(name in line for line in errors) == 1, name
    assert any("cp1252" in line for line in result.stderr.splitlines() if line.startswith("warning:"))
    assert any("hidden" in line for line in result.stderr.splitlines())

    # one output per good input, mirroring the tree (both inputs' folders are kept apart)
    produced = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.txt"))
    assert produced == ["nieuws/binnenland/trein.txt", "nieuws/jeugdzorg.txt", "nieuws/oud.txt"]
    assert (out / "nieuws" / "jeugdzorg.txt").read_text().startswith("date 2025-10-08\n\n")
    lines = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert len(lines) == 7
    assert {r["status"] for r in lines} == {"ok", "failed"}
    for record in lines:
        assert record["input"] and record["model"] == str(translator_dir)
        assert record["settings"]["beams"] == 1
        if record["status"] == "ok":
            assert record["sha256"] and record["output"] and record["error"] is None

    # an immediate rerun skips every good input without loading the model
    again = nlbrief(*args, "--json", "--threads", "1", "--beams", "1")
    rerun = json.loads(again.stdout)
    assert (rerun["ok"], rerun["skipped"], rerun["failed"]) == (0, 3, 4)
    assert rerun["model_loaded"] is False


def test_a_missing_model_is_one_line_with_the_fix(mixed_folder: Path, tmp_path: Path) -> None:
    result = nlbrief("translate", str(mixed_folder / "jeugdzorg.txt"), "-o", str(tmp_path / "out"))
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    [line] = [line for line in result.stderr.splitlines() if line.startswith("error:")][:1]
    assert (
        "Helsinki-NLP/opus-mt-nl-en" in line
        and "nlbrief models pull" in line
        and "--translator-model" in line
    )


def test_stdin_to_stdout(translator_dir: Path) -> None:
    result = nlbrief("translate", "-", "--translator-model", str(translator_dir), "-q", stdin=GOOD_DATE_LINE)
    assert result.returncode == 0, result.stderr
    blocks = result.stdout.strip().split("\n\n")
    assert blocks[0] == "date 2025-10-08" and len(blocks) == 5  # date, 3 paragraphs and the heading


def test_segment_prints_sentences_and_paragraph_breaks(tmp_path: Path) -> None:
    path = tmp_path / "tekst.txt"
    path.write_text(
        "Dhr. Jansen kwam om 12.30 uur. Hij zei: „Dat kost 1.200,50 euro.”\nDaarna ging hij naar huis.\n"
    )
    result = nlbrief("segment", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Dhr. Jansen kwam om 12.30 uur.\nHij zei: „Dat kost 1.200,50 euro.”\n\nDaarna ging hij naar huis.\n\n"
    )
    tsv = nlbrief("segment", "--tsv", "-", stdin=path.read_text())
    assert tsv.stdout.splitlines()[0].split("\t") == [
        "Dhr. Jansen kwam om 12.30 uur.",
        "Hij zei: „Dat kost 1.200,50 euro.”",
    ]


def test_user_mistakes_give_one_line_and_no_traceback(tmp_path: Path) -> None:
    for args in (
        ["translate", str(tmp_path), "--format", "docx"],
        ["translate", str(tmp_path), "--backend", "nope"],
        ["segment", str(tmp_path / "missing.txt")],
    ):
        result = nlbrief(*args)
        assert result.returncode != 0, args
        assert "Traceback" not in result.stderr, args
        assert result.stderr.strip().startswith("error:") and len(result.stderr.strip().splitlines()) == 1, (
            args
        )


def test_python_dash_m_works() -> None:
    result = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "translate" in result.stdout


def test_a_killed_run_resumes_to_the_same_result(tmp_path: Path, translator_dir: Path) -> None:
    folder = tmp_path / "nieuws"
    folder.mkdir()
    for n in range(12):
        (folder / f"artikel-{n:02}.txt").write_text(
            f"date 2025-10-{n + 1:02} Artikel {n} gaat over het weer. "
            + "Het regent en het waait hard. " * (n + 2)
            + "\nMorgen wordt het droger.\n",
            encoding="utf-8",
        )
    args = ["translate", str(folder), "--translator-model", str(translator_dir), "--threads", "1", "-q"]
    small_waves = ["--wave-chars", "300"]
    reference = tmp_path / "reference"
    assert nlbrief(*args, "-o", str(reference)).returncode == 0

    out = tmp_path / "out"
    manifest = out / "manifest.jsonl"
    process = subprocess.Popen([NLBRIEF, *args, *small_waves, "-o", str(out)], stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if manifest.exists() and manifest.read_text().count("\n") >= 2:
            break
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    done_before = manifest.read_text().count('"status": "ok"') if manifest.exists() else 0

    result = nlbrief(*args, *small_waves, "-o", str(out), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["ok"] + summary["skipped"] == 12
    assert done_before >= 2 and summary["skipped"] == done_before  # finished work is not redone
    for path in sorted(reference.glob("*.txt")):
        assert (out / path.name).read_bytes() == path.read_bytes(), path.name
    assert not [p for p in out.rglob("*") if p.name.startswith(".nlbrief-tmp-")]


def test_an_up_to_date_rerun_never_imports_torch(tmp_path: Path, translator_dir: Path) -> None:
    source = tmp_path / "artikel.txt"
    source.write_text(GOOD_DATE_LINE, encoding="utf-8")
    args = [
        "translate",
        str(source),
        "-o",
        str(tmp_path / "out"),
        "--translator-model",
        str(translator_dir),
        "-q",
    ]
    assert nlbrief(*args).returncode == 0
    probe = (
        "import sys\nfrom pipeline.cli import main\nsys.argv = ['nlbrief', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit as done:\n    code = done.code\n"
        "print(code, 'torch' in sys.modules, 'transformers' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True)
    assert result.stdout.split() == ["0", "False", "False"], result.stderr


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o007, 0o660)])
def test_outputs_and_the_manifest_follow_the_umask(
    tmp_path: Path, translator_dir: Path, umask: int, mode: int
) -> None:
    source = tmp_path / "artikel.txt"
    source.write_text(GOOD_DATE_LINE, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    manifest = out / "manifest.jsonl"
    manifest.write_text('{"status": "ok", "torn by a ki\n', encoding="utf-8")  # the run rewrites it
    manifest.chmod(0o600)
    command = [NLBRIEF, "translate", str(source), "-o", str(out), "--translator-model", str(translator_dir)]
    result = subprocess.run([*command, "--beams", "1", "-q"], capture_output=True, text=True, umask=umask)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((out / "artikel.txt").stat().st_mode) == mode
    assert "torn" not in manifest.read_text(encoding="utf-8")
    assert stat.S_IMODE(manifest.stat().st_mode) == mode


def test_process_logs_articles_summarized_and_says_where_the_files_went(
    tmp_path: Path, tiny_models_dir: Path
) -> None:
    folder = tmp_path / "nieuws"
    folder.mkdir()
    for n in range(3):
        (folder / f"bericht-{n}.txt").write_text(
            f"date 2025-10-0{n + 1} De gemeente bouwt {n + 2} nieuwe bruggen. Het werk begint in mei.\n",
            encoding="utf-8",
        )
    command = [
        NLBRIEF, "process", "nieuws", "-o", "out", "--json", "--device", "cpu", "--threads", "1",
        "--translator-model", str(tiny_models_dir / "translator"), "--beams", "1",
        "--summarizer-model", str(tiny_models_dir / "chat-summarizer"), "--bullets", "2",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()  # no terminal: log lines, no bar
    assert [line for line in lines if "summarized" in line] == [
        f"progress: {n}/3 articles of this batch of documents summarized" for n in (1, 2, 3)
    ]
    assert lines[-1].endswith(" s -> out (manifest out/manifest.jsonl)"), lines[-1]
    assert lines[-1].startswith("3 processed, 0 skipped (up to date), 0 failed in ")
    summary = json.loads(result.stdout)
    assert summary["output_dir"] == str(tmp_path / "out")
    assert len(list((tmp_path / "out").glob("*.json"))) == 3
