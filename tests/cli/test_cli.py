"""The installed ``nlbrief`` command in a subprocess, on real files, with the tiny translator."""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers.cli import NLBRIEF, nlbrief

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
        "import sys\nfrom pipeline.cli.commands import main\nsys.argv = ['nlbrief', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit as done:\n    code = done.code\n"
        "print(code, 'torch' in sys.modules, 'transformers' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True)
    assert result.stdout.split() == ["0", "False", "False"], result.stderr


ENGLISH_ARTICLE = (
    "date 2025-10-08 The council of Maasdal voted on Tuesday to close the old swimming pool next summer.\n"
    "A new pool near the station should open two years later. Residents asked for a temporary solution.\n"
)


def _tiny_summarizer_args(tiny_models_dir: Path) -> list[str]:
    return ["--summarizer-model", str(tiny_models_dir / "chat-summarizer"), "--threads", "1"]


def test_process_dash_prints_the_article_page_and_writes_nothing(
    tmp_path: Path, tiny_models_dir: Path
) -> None:
    args = [
        "process", "-", "--translator-model", str(tiny_models_dir / "translator"), "--beams", "1",
        *_tiny_summarizer_args(tiny_models_dir), "--json",
    ]  # fmt: skip
    result = nlbrief(*args, stdin=GOOD_DATE_LINE, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    *page, summary_line = result.stdout.rstrip("\n").split("\n")
    assert page[0].startswith("# ") and "2025-10-08" in "\n".join(page)  # the Markdown page, not the record
    summary = json.loads(summary_line)  # --json stays the run's summary, as the last line
    assert (summary["ok"], summary["files"][0]["output"]) == (1, "-")
    assert list(tmp_path.iterdir()) == []  # no outputs/ folder, no stdin.json, no manifest


def test_summarize_dash_prints_the_article_page_and_writes_nothing(
    tmp_path: Path, tiny_models_dir: Path
) -> None:
    result = nlbrief(
        "summarize", "-", *_tiny_summarizer_args(tiny_models_dir), stdin=ENGLISH_ARTICLE, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# ") and "2025-10-08" in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_brief_refuses_stdin_in_one_line(tmp_path: Path) -> None:
    result = nlbrief("brief", str(tmp_path), "-", stdin=GOOD_DATE_LINE, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "error: brief reads folders or files, not stdin; save the articles in a folder\n"
    assert list(tmp_path.iterdir()) == []
    offered = " ".join(nlbrief("brief", "-h", columns=80).stdout.split()).replace("not stdin", "")
    assert "stdin" not in offered


COMMANDS = [
    [], ["translate"], ["process"], ["summarize"], ["brief"], ["check"], ["segment"], ["fetch"],
    ["daily"], ["models"], ["models", "list"], ["models", "info"], ["models", "pull"],
    ["prompts"], ["prompts", "list"], ["prompts", "show"],
]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "nlbrief")
def test_help_at_80_columns_shows_metavars_defaults_and_choices(command: list[str]) -> None:
    from pipeline.briefing.stories import DEFAULT_THRESHOLD
    from pipeline.summarize.generators import QUANTIZE
    from pipeline.translate.backends.registry import BACKEND_CHOICES, BACKENDS
    from pipeline.translate.formats import FORMATS

    short = nlbrief(*command, "-h", columns=80)
    assert short.returncode == 0, short.stderr
    assert short.stdout == nlbrief(*command, "--help", columns=80).stdout
    text = short.stdout
    assert all(len(line) <= 80 for line in text.splitlines())
    # No Python type names, no type after a flag, nothing cut off with an ellipsis.
    assert not re.search(r"<(list\[|bool>|str>|int|float|path>)", text), text
    cut = [line for line in text.splitlines()[1:] if re.search(r"\w(\.\.\.|…)$", line)]
    assert cut == [], cut
    flat = re.sub(r"-\n\s+", "-", text)  # a default wrapped at a hyphen reads back whole
    flat = re.sub(r"\s+", " ", flat)
    if "--translator-model" in text:
        assert "--translator-model ID|DIR" in flat
        assert "[env var: NLBRIEF_TRANSLATOR_MODEL; default: Helsinki-NLP/opus-mt-nl-en]" in flat
    if "--quantize" in text:
        assert f"--quantize {'|'.join(QUANTIZE)}" in flat
    if "--format" in text:
        assert f"--format {'|'.join(FORMATS)}" in flat
    if "--backend" in text:
        assert f"--backend {'|'.join(BACKEND_CHOICES)}" in flat and all(name in flat for name in BACKENDS)
    if "--context-tokens" in text:
        assert "[default: (the model's own context); x>=64]" in flat
    if "--group-threshold" in text:
        assert f"[default: {DEFAULT_THRESHOLD};" in flat
    if "--language-check" in text:
        assert "Pass English files through, refuse other non-Dutch languages" in flat
    for metavar in ("--include GLOB", "--max-file-size SIZE", "--beams N", "-o, --output DIR"):
        if metavar.split()[-2] in text:
            assert metavar in flat
    for flag in ("--force", "--json", "--wait", "--no-cache", "--allow-pickle", "-h, --help"):
        if flag in text:
            assert re.search(rf"{re.escape(flag)} {{2,}}\S", text), flag  # the help text follows, no metavar


def test_help_imports_no_model_library() -> None:
    probe = (
        "import sys\nfrom pipeline.cli.commands import main\nsys.argv = ['nlbrief', 'process', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('torch' in sys.modules, 'transformers' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert "Usage: nlbrief process" in result.stdout
    assert result.stderr.split() == ["False", "False"], result.stderr


def test_briefing_notes_name_a_failed_article_once_without_command_line_advice(
    tmp_path: Path, tiny_models_dir: Path
) -> None:
    folder = tmp_path / "nieuws"
    folder.mkdir()
    (folder / "jeugdzorg.txt").write_text(GOOD_DATE_LINE, encoding="utf-8")
    (folder / "duits.txt").write_text("date 2025-10-08 " + GERMAN, encoding="utf-8")
    out = tmp_path / "out"
    result = nlbrief(
        "brief", str(folder), "-o", str(out), "--translator-model", str(tiny_models_dir / "translator"),
        "--beams", "1", *_tiny_summarizer_args(tiny_models_dir), timeout=300,
    )  # fmt: skip
    assert "--no-language-check" in result.stderr  # the advice is for whoever runs nlbrief
    missing = json.loads((out / "2025-10-08.json").read_text())["missing"]
    reasons = [m["reason"] for m in missing if "duits.txt" in m["source_path"]]
    assert reasons == ["looks like German, not Dutch"]
    for page in ("2025-10-08.md", "2025-10-08.html"):
        text = (out / page).read_text()
        assert text.count("duits.txt") == 1 and "--no-language-check" not in text, page


def test_a_removed_temp_file_is_counted_in_words(tmp_path: Path, translator_dir: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / ".nlbrief-tmp-left-by-a-kill").write_text("half", encoding="utf-8")
    (tmp_path / "leeg.txt").write_bytes(b"")
    result = nlbrief(
        "translate", str(tmp_path / "leeg.txt"), "-o", str(out), "--translator-model", str(translator_dir)
    )
    assert "note: removed 1 unfinished temp file left by an interrupted run" in result.stderr.splitlines()


# --- checked before any work: the models a command needs, and its option values ------------------

ENGLISH_ARTICLE = (
    "date 2025-10-08 The cabinet sets aside more money for youth care. Municipalities get 300 million "
    "euros more next year.\nThe minister says waiting lists must get shorter.\n"
)


def run_in(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """``nlbrief`` started in ``tmp_path`` (so no default output or translations folder is the repo's)."""
    return subprocess.run(
        [NLBRIEF, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )


def without_network(tmp_path: Path) -> dict[str, str]:
    """A user's machine without a network: HF_HUB_OFFLINE unset, the hub a closed local port."""
    from helpers.network import PROXY_VARIABLES, closed_endpoint

    env = {k: v for k, v in os.environ.items() if k.lower() not in PROXY_VARIABLES and k != "HF_HUB_OFFLINE"}
    env.update(HF_ENDPOINT=closed_endpoint(), HF_HOME=str(tmp_path / "hf"))
    return env


@pytest.mark.parametrize("command", ["process", "brief"])
def test_a_missing_summarizer_stops_the_run_before_anything_is_translated(
    command: str, tmp_path: Path, translator_dir: Path
) -> None:
    article = tmp_path / "jeugdzorg.txt"
    article.write_text(GOOD_DATE_LINE, encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"
    result = run_in(
        tmp_path, without_network(tmp_path), command, str(article), "-o", str(out),
        "--translator-model", str(translator_dir), "--summarizer-model", "Org/no-such-summarizer",
        "--cache-dir", str(cache),
    )  # fmt: skip
    assert result.returncode == 3, result.stderr
    [line] = result.stderr.splitlines()  # one line: no retries, no per-file failures, no summary
    assert line.startswith("error: model 'Org/no-such-summarizer' is not on this machine")
    assert "(no network)" in line and "--summarizer-model DIR" in line
    # nothing translated (no translation memory was even opened) and nothing written
    assert not out.exists() and not cache.exists()


WITHOUT_CUDA = {"CUDA_VISIBLE_DEVICES": ""}  # `--device cuda` fails alike on every machine
# (command, option, what the one error line must name)
BAD_OPTIONS = [
    *[
        (command, ["--device", "gpu"], "choose one of: auto, cpu, cuda")
        for command in ("translate", "process", "summarize", "brief")
    ],
    # process and brief run the same checks as translate and summarize; asking torch takes seconds
    *[
        (command, ["--device", "cuda"], "no CUDA GPU is visible; use --device cpu or auto")
        for command in ("translate", "summarize")
    ],
    *[
        (command, ["--quantize", "int4"], "choose one of: int8, none")
        for command in ("process", "summarize", "brief")
    ],
    *[
        (command, ["--backend", "nope"], "choose one of: ctranslate2, torch")
        for command in ("translate", "process", "brief")
    ],
    *[
        (command, ["--compute-type", "bogus"], "choose one of: auto, ")
        for command in ("translate", "process", "brief")
    ],
    ("translate", ["--format", "docx"], "choose one of: json, md, txt"),
]


@pytest.mark.parametrize(
    ("command", "option", "expected"), BAD_OPTIONS, ids=[f"{c} {' '.join(o)}" for c, o, _ in BAD_OPTIONS]
)
def test_a_wrong_option_value_is_a_usage_error_before_any_work(
    command: str, option: list[str], expected: str, tmp_path: Path, tiny_models_dir: Path
) -> None:
    article = tmp_path / "artikel.txt"
    article.write_text(ENGLISH_ARTICLE if command == "summarize" else GOOD_DATE_LINE, encoding="utf-8")
    models = {
        "--translator-model": str(tiny_models_dir / "translator"),
        "--summarizer-model": str(tiny_models_dir / "chat-summarizer"),
    }
    if command == "translate":
        models.pop("--summarizer-model")
    if command == "summarize":
        models.pop("--translator-model")
    out = tmp_path / "out"
    args = [command, str(article), "-o", str(out), *[v for pair in models.items() for v in pair], *option]
    result = run_in(tmp_path, {**os.environ, **WITHOUT_CUDA}, *args)
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ") and expected in line, line
    assert result.stdout == "" and not out.exists()  # no manifest, no failed lines, no outputs


@pytest.mark.parametrize("command", ["summarize", "process"])
def test_a_usage_error_found_inside_the_run_ends_it_as_a_usage_error(
    command: str, tmp_path: Path, tiny_models_dir: Path
) -> None:
    # Whether the prompts and bullets fit the context is known only once the model is loaded.
    article = tmp_path / "artikel.txt"
    article.write_text(ENGLISH_ARTICLE if command == "summarize" else GOOD_DATE_LINE, encoding="utf-8")
    out = tmp_path / "out"
    models = ["--summarizer-model", str(tiny_models_dir / "chat-summarizer")]
    if command == "process":
        models += ["--translator-model", str(tiny_models_dir / "translator")]
    args = [command, str(article), "-o", str(out), *models, "--context-tokens", "64"]
    result = run_in(tmp_path, os.environ.copy(), *args)
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.splitlines()  # no traceback, no failed file, no summary line
    assert line.startswith("error: the summarizer's context (64 tokens) is too small"), line
    assert result.stdout == ""
    assert not (out / "manifest.jsonl").exists()  # nothing was the article's fault


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
    ]  # fmt: skip
    assert nlbrief(*process).returncode == 0
    outputs = lambda: {p.name: p.read_bytes() for p in out.iterdir() if p.name != ".nlbrief.lock"}  # noqa: E731
    before = outputs()

    result = nlbrief("translate", str(source.parent), "-o", str(out), "--format", "md", *translator)
    assert result.returncode == 2, result.stderr
    message = f"error: {out} holds `nlbrief process` outputs; choose another -o folder"
    assert result.stderr.splitlines() == [message]
    assert outputs() == before and len(before) == 4  # the record, its two pages, the manifest
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
        "--summary-batch", "1",  # a line per article summarized, whatever CPU runs the tests
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()  # no terminal: log lines, no bar
    assert [line for line in lines if "summarized" in line] == [
        f"progress: {n}/3 articles of this batch of documents summarized" for n in (1, 2, 3)
    ]
    assert lines[-1].endswith(" -> out (manifest out/manifest.jsonl)"), lines[-1]
    assert lines[-1].startswith("3 processed, 0 skipped (up to date), 0 failed in ")
    summary = json.loads(result.stdout)
    checks = summary["checks"]  # the end line says what the checks flagged, as the summary counts it
    assert f" s; checks flagged {checks['flagged']} of 3 ({checks['findings']} findings) -> " in lines[-1]
    assert summary["output_dir"] == str(tmp_path / "out")
    assert len(list((tmp_path / "out").glob("*.json"))) == 3


def test_segment_reads_stdin_only_up_to_the_size_limit(tmp_path: Path) -> None:
    # 2 KB of Dutch into a 1 KB limit: refused in one line, as `translate -` refuses it
    text = "De trein naar Zwolle rijdt vandaag later. " * 50
    result = nlbrief("segment", "-", "--max-file-size", "1KB", stdin=text, cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: stdin is more than 1.0 KB, over the 1.0 KB limit; split it, or raise --max-file-size "
        "if it really is one article"
    ]
    within = nlbrief("segment", "-", stdin="Het regent. Morgen niet.\n", cwd=tmp_path)
    assert within.returncode == 0 and within.stdout == "Het regent.\nMorgen niet.\n\n"
