"""``nlbrief check`` through the installed command: pairs files (JSON lines, TSV, stdin) and the output
folder of a real ``nlbrief process`` run on the tiny models. The pairs are written for these tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.cli import nlbrief

from pipeline.stages.check_report import FAIL_ON

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "nieuws"
# Three example articles: a record each is enough to see every part of a record checked.
PROCESSED = ["2025-10-06-storm-noordzee.md", "2025-10-08-koffieprijs-horeca.txt", "2025-10-07-museum.txt"]

BRUG_NL = "De provincie trekt 4,5 miljoen euro uit voor de brug bij Hoorn."
BRUG_EN = "The province is setting aside {} for the bridge near Hoorn."
PAIRS = [
    {"id": "changed", "source": BRUG_NL, "output": BRUG_EN.format("5.4 million euros")},
    {"id": "notation", "source": BRUG_NL, "output": BRUG_EN.format("€4.5 million")},
]
MARKT_NL = "Op 3 maart kwamen 250 bezoekers naar de markt in Gouda."
MARKT_EN = "On 3 March {} visitors came to the market in Gouda."
TSV = f"{MARKT_NL}\t{MARKT_EN.format(250)}\n{MARKT_NL}\t{MARKT_EN.format(205)}\n"


@pytest.fixture(scope="module")
def processed(tiny_models_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of one `nlbrief process` run over three example articles."""
    out = tmp_path_factory.mktemp("check") / "articles"
    result = nlbrief(
        "process", *(str(EXAMPLES / name) for name in PROCESSED), "-o", str(out),
        "--translator-model", str(tiny_models_dir / "translator"),
        "--summarizer-model", str(tiny_models_dir / "chat-summarizer"),
        "--beams", "1", "--bullets", "2", "--threads", "1", "-q",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def pairs_file(tmp_path: Path) -> Path:
    path = tmp_path / "pairs.jsonl"
    path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in PAIRS), encoding="utf-8")
    return path


def test_check_pairs_json_flags_a_changed_number_and_not_another_notation(pairs_file: Path) -> None:
    result = nlbrief("check", "pairs", str(pairs_file), "--json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line["id"], line["flagged"]) for line in lines] == [("changed", True), ("notation", False)]
    assert [set(f) for f in lines[0]["findings"]] == [{"kind", "severity", "text", "message"}] * 2
    assert [f["text"] for f in lines[0]["findings"]] == ["4,5 miljoen", "5.4 million"]
    assert lines[1]["findings"] == []
    assert result.stderr == "2 pairs checked, 1 flagged (findings: 2 amount)\n"


def test_check_pairs_reads_a_tsv_by_its_content_and_stdin(tmp_path: Path) -> None:
    path = tmp_path / "pairs.txt"
    path.write_text(TSV, encoding="utf-8")
    result = nlbrief("check", "pairs", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "line 2: flagged"  # the id of a TSV pair is its line number
    assert "  number '250' of the source is missing" in result.stdout.splitlines()
    assert result.stdout.endswith("2 pairs checked, 1 flagged (findings: 2 number)\n")
    piped = nlbrief("check", "pairs", "-", "--json", stdin=TSV)
    assert [json.loads(line)["flagged"] for line in piped.stdout.splitlines()] == [False, True]


def test_a_malformed_line_is_one_error_line_and_exit_1(pairs_file: Path) -> None:
    with pairs_file.open("a", encoding="utf-8") as handle:
        handle.write('{"id": "half", "source": "Een zin."}\n')
    result = nlbrief("check", "pairs", str(pairs_file), "--json")
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f'error: {pairs_file}, line 3: no \'output\'; write one JSON object a line: {{"id": 1, "source": '
        '"...", "output": "..."}'
    )
    assert len(result.stdout.splitlines()) == 2  # the good lines are still checked
    assert "Traceback" not in result.stderr


def test_fail_on_warning_exits_1_and_an_unknown_value_lists_the_valid_ones(pairs_file: Path) -> None:
    assert nlbrief("check", "pairs", str(pairs_file), "--fail-on", "warning").returncode == 1
    pairs_file.write_text(json.dumps(PAIRS[1]) + "\n", encoding="utf-8")
    assert nlbrief("check", "pairs", str(pairs_file), "--fail-on", "warning").returncode == 0
    wrong = nlbrief("check", "pairs", str(pairs_file), "--fail-on", "always")
    assert (wrong.returncode, wrong.stdout) == (2, "")
    assert wrong.stderr == "error: unknown --fail-on 'always'; choose one of: never, warning\n"


def test_check_dir_reports_a_process_run_as_its_records_hold_it(processed: Path) -> None:
    records = {p: json.loads(p.read_text())["checks"] for p in sorted(processed.glob("*.json"))}
    assert len(records) == 3 and all(checks["warnings"] for checks in records.values())  # gibberish has many
    result = nlbrief("check", str(processed))
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    heads = [line for line in out if not line.startswith("  ")]
    assert [h.split(" (process): flagged, ")[0] for h in heads[:-1]] == [str(path) for path in records]
    assert heads[-1].startswith("3 articles checked, 3 flagged (findings: ")
    assert any(line.startswith("  paragraph 1, sentence 1: ") for line in out)  # the translation, placed
    assert any(line.startswith(("  headline: ", "  bullet 1: ")) for line in out)  # and the summary
    assert "differ" not in result.stdout  # the run and `check` ran the same checks on the same text
    as_json = nlbrief("check", str(processed), "--json")
    assert as_json.returncode == 0, as_json.stderr
    lines = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert [line["path"] for line in lines] == [str(path) for path in records]
    for line, checks in zip(lines, records.values(), strict=True):
        assert (line["flagged"], line["warnings"]) == (checks["flagged"], checks["warnings"])
        assert (line["command"], line["rechecked"], line["changed"]) == ("process", True, False)
        assert all(f["where"] for f in line["findings"])
    assert as_json.stderr.startswith("3 articles checked, 3 flagged")


def test_check_dir_without_records_exits_2_with_the_fix(tmp_path: Path) -> None:
    result = nlbrief("check", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr == (
        f"error: {tmp_path} holds no nlbrief records; give the output folder (-o) of nlbrief process, "
        "or of nlbrief translate --format json\n"
    )


def test_check_help_explains_both_forms_the_formats_and_every_option() -> None:
    result = nlbrief("check", "--help", columns=100)
    assert result.returncode == 0
    flat = " ".join(result.stdout.split())
    assert "nlbrief check pairs FILE" in flat and "nlbrief check DIR" in flat
    for words in ("JSON lines", "TSV", "source_lang", "nlbrief summarize", "Exit status"):
        assert words in flat, words
    assert f"--fail-on {'|'.join(FAIL_ON)}" in flat  # the choices spelled out in options.py
    for option in ("--json", "--glossary FILE", "--max-file-size SIZE"):
        assert option in flat, option


def test_check_imports_no_model_library(pairs_file: Path) -> None:
    probe = (
        "import sys\nfrom pipeline.cli.commands import main\n"
        f"sys.argv = ['nlbrief', 'check', 'pairs', {str(pairs_file)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('torch' in sys.modules, 'transformers' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert "2 pairs checked" in result.stdout
    assert result.stderr.split() == ["False", "False"], result.stderr
