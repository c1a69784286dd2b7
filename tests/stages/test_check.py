"""``nlbrief check pairs``: pairs read from JSON lines or a TSV, each checked, malformed lines named; and
what both forms share (the targets, --fail-on, the exit status). The pairs are written for these tests."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from pipeline.checks.glossary import Glossary
from pipeline.errors import InputError, UnknownChoiceError, UsageError
from pipeline.stages.check import run_check, target_form
from pipeline.stages.check_folder import check_folder
from pipeline.stages.check_pairs import Pair, check_pair, check_pairs, pairs_in, read_pairs_text
from pipeline.stages.check_report import FAIL_ON, CheckRequest, Tally

BRUG_NL = "De gemeente Zandvoort trekt 4,5 miljoen euro uit voor een nieuwe brug."
BRUG_EN = "The municipality of Zandvoort is setting aside €4.5 million for a new bridge."
BRUG_CHANGED = "The municipality of Zandvoort is setting aside €5.4 million for a new bridge."
MARKT_NL = "Op 3 maart kwamen 250 bezoekers naar de markt in Gouda."
MARKT_EN = "On 3 March 250 visitors came to the market in Gouda."
ARTICLE_EN = "The mayor of Leiden opened the new library on Friday. It cost 12 million euros to build."


def nl(source: str, output: str) -> Pair:
    return Pair(id=1, source=source, output=output)


def kinds(findings: list) -> list[str]:
    return [f.kind.value for f in findings if f.warning]


def test_a_changed_amount_is_flagged_both_ways_and_another_notation_is_not() -> None:
    assert kinds(check_pair(nl(BRUG_NL, BRUG_CHANGED))) == ["amount", "amount"]
    assert check_pair(nl(BRUG_NL, BRUG_EN)) == []  # "4,5 miljoen euro" is "€4.5 million"
    changed = check_pair(nl(MARKT_NL, MARKT_EN.replace("Gouda", "Delft").replace("3 March", "13 March")))
    assert sorted(kinds(changed)) == ["name", "number", "number"]


def test_an_english_pair_is_a_summary_whose_facts_must_be_in_the_article() -> None:
    summary = Pair(id="s", source=ARTICLE_EN, output="Leiden opened a library costing 15 million euros.")
    found = check_pair(Pair(id="s", source=summary.source, output=summary.output, source_lang="en"))
    assert [(f.kind.value, f.text) for f in found] == [("amount", "15 million")]
    faithful = "Leiden's mayor opened a library that cost 12 million euros on Friday."
    assert check_pair(Pair(id="s", source=ARTICLE_EN, output=faithful, source_lang="en")) == []


def test_the_glossary_is_held_against_dutch_pairs_only() -> None:
    glossary = Glossary.from_mapping({"gemeente": ["council"]})
    found = check_pair(nl(BRUG_NL, BRUG_EN), glossary)
    assert [(f.kind.value, f.text) for f in found] == [("glossary", "gemeente")]
    english = Pair(id=2, source="The gemeente met.", output="The gemeente met.", source_lang="en")
    assert check_pair(english, glossary) == []


def test_json_lines_and_tsv_are_told_apart_by_content() -> None:
    jsonl = json.dumps({"id": "a", "source": BRUG_NL, "output": BRUG_EN}) + "\n"
    assert pairs_in(jsonl, "pairs.tsv") == [Pair(id="a", source=BRUG_NL, output=BRUG_EN, line=1)]
    tsv = f"source\toutput\n\n{BRUG_NL}\t{BRUG_EN}\r\n{MARKT_NL}\t{MARKT_EN}\n"
    assert pairs_in(tsv, "pairs.jsonl") == [  # the header is skipped; ids are line numbers, blanks counted
        Pair(id=3, source=BRUG_NL, output=BRUG_EN, line=3),
        Pair(id=4, source=MARKT_NL, output=MARKT_EN, line=4),
    ]
    with pytest.raises(InputError, match="neither JSON lines nor a TSV"):
        pairs_in(f"{BRUG_NL}\n", "pairs.txt")
    assert pairs_in("\n \n", "empty.jsonl") == []


def test_a_line_separator_inside_a_json_string_does_not_end_the_line() -> None:
    line = json.dumps({"id": 1, "source": "Een\u2028twee", "output": "One\u2028two"}, ensure_ascii=False)
    [pair] = pairs_in(line + "\n", "p.jsonl")
    assert isinstance(pair, Pair) and pair.output == "One\u2028two"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("not json", "not JSON ("),
        ('["a list"]', "not a JSON object"),
        ('{"id": 1, "source": "x"}', "no 'output'"),
        ('{"source": "x"}', "no 'id' and no 'output'"),
        ('{"id": true, "source": "x", "output": "y"}', "its 'id' is not a text or a whole number"),
        ('{"id": 1, "source": 3, "output": "y"}', "its 'source' is not a text"),
        ('{"id": 1, "source": "x", "output": "y", "source_lang": "de"}', "its 'source_lang' is 'de'; use nl"),
    ],
)
def test_a_malformed_json_line_is_an_error_naming_the_file_and_line(line: str, problem: str) -> None:
    good = json.dumps({"id": 1, "source": BRUG_NL, "output": BRUG_EN})
    first, error, last = pairs_in(f"{good}\n{line}\n{good}\n", "in.jsonl")
    assert isinstance(first, Pair) and isinstance(last, Pair)  # the lines around it are still read
    assert isinstance(error, InputError)
    assert str(error).startswith(f"in.jsonl, line 2: {problem}")


def test_a_tsv_line_without_two_columns_is_an_error() -> None:
    [ok, error] = pairs_in(f"{BRUG_NL}\t{BRUG_EN}\n{BRUG_NL}\t{BRUG_EN}\textra\n", "in.tsv")
    assert isinstance(ok, Pair)
    assert str(error) == (
        "in.tsv, line 2: 3 TAB-separated columns, not 2; write the source, a TAB, then the output, "
        "one pair a line"
    )


def test_a_pairs_file_is_read_as_utf8_with_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "p.tsv"
    path.write_bytes(b"\xef\xbb\xbfa\tb\n")
    assert read_pairs_text(str(path), 1000) == "a\tb\n"  # the BOM is not part of the first source
    path.write_bytes(b"a\tb\nd\xe9\tc\n")
    with pytest.raises(InputError, match=r"p\.tsv: is not UTF-8 text \(line 2\); save it as UTF-8"):
        read_pairs_text(str(path), 1000)
    with pytest.raises(InputError, match="over the 5 bytes limit"):
        read_pairs_text(str(path), 5)
    path.write_text(" \n\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"p\.tsv: is empty; write one JSON object a line"):
        read_pairs_text(str(path), 1000)
    with pytest.raises(
        InputError, match=f"is a folder; check an output folder with: nlbrief check {tmp_path}"
    ):
        read_pairs_text(str(tmp_path), 1000)


def request(*targets: str, json_report: bool = False, fail_on: str = "never") -> CheckRequest:
    return CheckRequest(
        targets=list(targets), json=json_report, fail_on=fail_on, glossary=None, max_file_size=10**6
    )


def run_pairs(path: Path, **asked: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = check_pairs(str(path), request("pairs", str(path), **asked), None, out, err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def pairs_file(tmp_path: Path) -> Path:
    path = tmp_path / "pairs.jsonl"
    lines = [
        {"id": "changed", "source": BRUG_NL, "output": BRUG_CHANGED},
        {"id": "faithful", "source": BRUG_NL, "output": BRUG_EN},
        {"id": 7, "source": ARTICLE_EN, "output": "The library cost 12 million euros.", "source_lang": "en"},
    ]
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return path


def test_json_report_is_one_object_a_pair_and_the_summary_goes_to_stderr(pairs_file: Path) -> None:
    status, out, err = run_pairs(pairs_file, json_report=True)
    lines = [json.loads(line) for line in out.splitlines()]
    assert [(line["id"], line["flagged"]) for line in lines] == [
        ("changed", True),
        ("faithful", False),
        (7, False),
    ]
    assert lines[0]["findings"][0] == {
        "kind": "amount", "severity": "warning", "text": "4,5 miljoen",
        "message": "amount '4,5 miljoen' of the source is missing",
    }  # fmt: skip
    assert (status, err) == (0, "3 pairs checked, 1 flagged (findings: 2 amount)\n")


def test_text_report_names_each_flagged_pair_and_ends_with_the_counts(pairs_file: Path) -> None:
    status, out, _ = run_pairs(pairs_file)
    assert out.splitlines() == [
        'line 1 (id "changed"): flagged',
        f"  nl: {BRUG_NL}",
        f"  en: {BRUG_CHANGED}",
        "  amount '4,5 miljoen' of the source is missing",
        "  amount '5.4 million' is not in the source",
        "3 pairs checked, 1 flagged (findings: 2 amount)",
    ]
    assert status == 0


def test_fail_on_warning_and_malformed_lines_exit_1(pairs_file: Path) -> None:
    assert run_pairs(pairs_file, fail_on="warning")[0] == 1
    pairs_file.write_text(pairs_file.read_text() + "{oops\n", encoding="utf-8")
    status, out, err = run_pairs(pairs_file)
    assert status == 1
    assert err.startswith(f"error: {pairs_file}, line 4: not JSON (")
    assert out.endswith(
        "3 pairs checked, 1 flagged (findings: 2 amount); 1 malformed line (see the error: lines)\n"
    )


def test_the_exit_status_follows_fail_on() -> None:
    tally = Tally("pair", checked=2, flagged=1)
    assert [tally.exit_status(value) for value in FAIL_ON] == [0, 1]
    assert Tally("pair", checked=2, errors=1).exit_status("never") == 1
    assert Tally("pair", checked=2).exit_status("warning") == 0


def test_an_unknown_fail_on_lists_the_valid_values_before_any_input_is_read(tmp_path: Path) -> None:
    with pytest.raises(UnknownChoiceError, match="unknown --fail-on 'always'; choose one of: never, warning"):
        run_check(
            request("pairs", str(tmp_path / "missing.jsonl"), fail_on="always"), io.StringIO(), io.StringIO()
        )


def test_the_targets_pick_the_form(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.stages.check_pairs import check_pairs as pairs_form

    assert target_form(["pairs", "p.jsonl"]) == (pairs_form, "p.jsonl")
    assert target_form(["outputs/articles"]) == (check_folder, "outputs/articles")
    for wrong, problem in [(["pairs"], "check pairs takes one FILE"), (["a", "b"], "check takes one folder")]:
        with pytest.raises(UsageError, match=problem):
            target_form(wrong)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pairs").mkdir()  # a folder called "pairs" is a folder
    assert target_form(["pairs"]) == (check_folder, "pairs")
