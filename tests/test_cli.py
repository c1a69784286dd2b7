"""The installed ``nlbrief`` command in a subprocess, on real files, with the tiny translator."""

from __future__ import annotations

import json
import os
import signal
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

    # one output per good input, mirroring the folder's tree at the top, as with one input
    produced = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.txt"))
    assert produced == ["binnenland/trein.txt", "jeugdzorg.txt", "oud.txt"]
    assert (out / "jeugdzorg.txt").read_text().startswith("date 2025-10-08\n\n")
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


def test_a_translation_corrected_by_hand_is_kept_unless_forced(tmp_path: Path, translator_dir: Path) -> None:
    source = tmp_path / "artikel.txt"
    source.write_text(GOOD_DATE_LINE, encoding="utf-8")
    out = tmp_path / "out"
    args = ["translate", str(source), "-o", str(out), "--translator-model", str(translator_dir)]
    assert nlbrief(*args).returncode == 0
    output = out / "artikel.txt"
    output.write_text("date 2025-10-08\n\nThe cabinet puts extra money into youth care.\n", encoding="utf-8")
    corrected = output.read_bytes()

    kept = nlbrief(*args)
    assert kept.returncode == 0, kept.stderr
    assert f"note: kept {output}: edited by hand since nlbrief wrote it; pass --force to replace it" in (
        kept.stderr
    )
    source.write_text(GOOD_DATE_LINE + "Het geld komt uit de reserves.\n", encoding="utf-8")
    refused = nlbrief(*args)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert (
        f"error: {output}: edited by hand since nlbrief wrote it; rename it to keep it, "
        "or pass --force to replace it"
    ) in refused.stderr.splitlines()
    assert output.read_bytes() == corrected  # --force replaces it: see test_runner.py


def test_translate_md_into_a_process_folder_is_refused_before_any_work(
    tmp_path: Path, tiny_models_dir: Path
) -> None:
    source = tmp_path / "nieuws" / "jeugdzorg.txt"
    source.parent.mkdir()
    source.write_text(GOOD_DATE_LINE, encoding="utf-8")
    out = tmp_path / "articles"
    translator = ["--translator-model", str(tiny_models_dir / "translator"), "--beams", "1"]
    process = [
        "process", str(source.parent), "-o", str(out), *translator, "--threads", "1",
        "--summarizer-model", str(tiny_models_dir / "chat-summarizer"),
        "--translations", str(tmp_path / "none"),
    ]  # fmt: skip
    assert nlbrief(*process).returncode == 0
    outputs = lambda: {p.name: p.read_bytes() for p in out.iterdir() if p.name != ".nlbrief.lock"}  # noqa: E731
    before = outputs()

    result = nlbrief("translate", str(source.parent), "-o", str(out), "--format", "md", *translator)
    assert result.returncode == 2, result.stderr
    message = f"error: {out} holds `nlbrief process` outputs; choose another -o folder"
    assert result.stderr.splitlines() == [message]
    assert outputs() == before and len(before) == 3  # the record, the page, the manifest
    manifest = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert [r["command"] for r in manifest] == ["process"]

    # and the other way round: a translations folder is not a place for process records
    translations = tmp_path / "translations"
    assert nlbrief("translate", str(source), "-o", str(translations), *translator).returncode == 0
    result = nlbrief(*process[:2], "-o", str(translations), *process[4:])
    assert result.returncode == 2
    message = f"error: {translations} holds `nlbrief translate` outputs; choose another -o folder"
    assert result.stderr.splitlines() == [message]
    rerun = nlbrief(*process, "--json")
    assert json.loads(rerun.stdout)["skipped"] == 1  # its own folder was never disturbed


@pytest.mark.parametrize("command", ["translate", "brief"])
def test_an_output_folder_that_is_a_file_is_refused(tmp_path: Path, command: str) -> None:
    source = tmp_path / "jeugdzorg.txt"
    source.write_text(GOOD_DATE_LINE, encoding="utf-8")
    taken = tmp_path / "notes.txt"
    taken.write_text("mijn aantekeningen\n", encoding="utf-8")
    for out in [taken, taken / "sub"]:
        result = nlbrief(command, str(source), "-o", str(out), "--translator-model", str(tmp_path / "none"))
        assert result.returncode == 2
        message = f"error: {taken} is a file, not a folder; choose a folder for -o"
        assert result.stderr.splitlines() == [message]
    assert taken.read_text(encoding="utf-8") == "mijn aantekeningen\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jeugdzorg.txt", "notes.txt"]


def test_adding_an_input_never_moves_the_outputs_of_the_first(tmp_path: Path, translator_dir: Path) -> None:
    day1, day2 = tmp_path / "nieuws", tmp_path / "archief"
    (day1 / "binnenland").mkdir(parents=True)
    day2.mkdir()
    (day1 / "jeugdzorg.txt").write_text(GOOD_DATE_LINE, encoding="utf-8")
    (day1 / "binnenland" / "trein.md").write_text(GOOD_FRONT_MATTER, encoding="utf-8")
    (day2 / "jeugdzorg.txt").write_text(GOOD_DATE_LINE.replace("300", "400"), encoding="utf-8")
    (day2 / "haven.txt").write_text("De haven van Rotterdam groeit weer. Er komen meer schepen.\n")
    out = tmp_path / "out"
    model = ["-o", str(out), "--translator-model", str(translator_dir), "--beams", "1", "--json"]

    first = json.loads(nlbrief("translate", str(day1), *model).stdout)
    assert first["ok"] == 2
    layout = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.txt"))
    assert layout == ["binnenland/trein.txt", "jeugdzorg.txt"]

    both = json.loads(nlbrief("translate", str(day1), str(day2), *model).stdout)
    assert (both["skipped"], both["ok"]) == (2, 2)  # the first folder's outputs stay where they were
    # the later folder's files go at the top too; only a name the first has goes under its folder's name
    layout = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.txt"))
    assert layout == ["archief/jeugdzorg.txt", "binnenland/trein.txt", "haven.txt", "jeugdzorg.txt"]
    manifest = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert sorted(Path(r["output"]).relative_to(out).as_posix() for r in manifest) == layout  # no orphans

    again = json.loads(nlbrief("translate", str(day1), *model).stdout)
    assert (again["skipped"], again["ok"]) == (2, 0)
