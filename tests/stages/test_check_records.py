"""``nlbrief check DIR``: records and translation outputs checked again, and compared with what they hold.

The records are made by the real Translator and ArticleRecord over a backend that "translates" each
sentence from a table of pairs written for these tests, so they are exactly what ``process`` writes.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from pipeline.checks.glossary import Glossary
from pipeline.errors import UsageError
from pipeline.ingest.document import Document, Paragraph
from pipeline.run.manifest import CHECKS_VERSION
from pipeline.stages.check_folder import check_folder
from pipeline.stages.check_records import ArticleCheck, check_output
from pipeline.stages.check_report import CheckRequest
from pipeline.stages.records import ArticleRecord, render_record_json
from pipeline.summarize.summarizer import SummaryResult
from pipeline.translate.formats import render_json
from pipeline.translate.translator import TranslateSettings, Translator

EOS, UNK = 0, 1
TITLE = "Nieuwe fietsbrug over de Vecht"
ENGLISH = {
    TITLE: "New cycle bridge over the Vecht",
    "De gemeente Utrecht bouwt een fietsbrug over de Vecht.": (
        "The city of Utrecht is building a cycle bridge over the Vecht."
    ),
    "De brug kost 8,2 miljoen euro.": "The bridge costs 8.2 million euros.",
    "Wethouder Jansen verwacht dagelijks 4000 fietsers.": "Alderman Jansen expects 4,000 cyclists a day.",
    # The translation loses the number: the sentence is flagged, and a bullet may still say "fifty".
    "Omwonenden krijgen vijftig parkeerplaatsen terug.": "Residents get parking spaces back.",
    "De opening is op zaterdag.": "The opening is on Saturday.",
}
UNKNOWN = {"De opening is op zaterdag."}  # the backend writes an <unk> into its translation
PARAGRAPHS = [
    "De gemeente Utrecht bouwt een fietsbrug over de Vecht. De brug kost 8,2 miljoen euro.",
    "Wethouder Jansen verwacht dagelijks 4000 fietsers. Omwonenden krijgen vijftig parkeerplaatsen terug.",
    "De opening is op zaterdag.",
]
BULLETS = [
    "The cycle bridge over the Vecht costs 8.2 million euros.",
    "Alderman Jansen expects 5,000 cyclists a day.",  # 5,000: the article says 4,000
    "Residents get fifty parking spaces back.",  # only the Dutch says so
]
HEADLINE = "Utrecht builds a cycle bridge over the Vecht"


class TableBackend:
    """Each sentence is one token; its "translation" is ENGLISH's, with an <unk> for those in UNKNOWN."""

    name = "table"
    max_input_tokens = 64
    unknown_id: int | None = UNK

    def __init__(self) -> None:
        self.texts: dict[int, str] = {}

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        ids = {text: i for i, text in self.texts.items()}
        for text in texts:
            ids.setdefault(text, len(self.texts) + 2)
            self.texts[ids[text]] = text
        return [[ids[text], EOS] for text in texts]

    def generate(
        self, batch: Sequence[Sequence[int]], max_new_tokens: int, beams: int | None = None
    ) -> list[list[int]]:
        return [[ids[0], *([UNK] if self.texts[ids[0]] in UNKNOWN else []), EOS] for ids in batch]

    def decode(self, outputs: Sequence[Sequence[int]]) -> list[str]:
        return [" ".join(ENGLISH[self.texts[i]] for i in ids if i in self.texts) for ids in outputs]


def translated(glossary: Glossary | None = None) -> Any:
    doc = Document(
        id="brug.txt", source_path="/in/brug.txt", sha256="cd" * 32, title=TITLE, date="2026-03-02",
        paragraphs=[Paragraph(text) for text in PARAGRAPHS],
    )  # fmt: skip
    [translation] = Translator(TableBackend(), TranslateSettings(), glossary=glossary).translate_documents(
        [doc]
    )
    return doc, translation


def record_file(tmp_path: Path, glossary: Glossary | None = None, translated_too: bool = True) -> Path:
    doc, translation = translated(glossary)
    record = ArticleRecord.checked(
        doc, translation if translated_too else None, SummaryResult(BULLETS, HEADLINE)
    )
    path = tmp_path / "brug.json"
    path.write_text(render_record_json(record, {"model": "table"}), encoding="utf-8")
    return path


def edit(path: Path, change: Any) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def placed(check: ArticleCheck) -> list[tuple[str, str, str]]:
    return [(f.where, f.kind.value, f.text) for f in check.findings if f.warning]


def test_a_record_checked_again_finds_what_it_holds_in_the_same_places(tmp_path: Path) -> None:
    check = check_output(record_file(tmp_path))
    assert check is not None and check.rechecked and check.command == "process"
    assert placed(check) == [
        ("paragraph 2, sentence 2", "number", "vijftig"),
        ("paragraph 3, sentence 1", "unknown", "<unk>"),  # the model's sign, kept from the record
        ("bullet 2", "number", "5,000"),  # fifty, in bullet 3, is in the Dutch: no finding
    ]
    stored = json.loads((tmp_path / "brug.json").read_text())["checks"]
    assert [f["where"] for f in stored["translation"]["findings"]] == [w for w, _, _ in placed(check)[:2]]
    assert (check.changed, check.changes.not_in_record, check.changes.only_in_record) == (False, [], [])
    assert check.to_json()["record"] == {"checks_version": CHECKS_VERSION, "flagged": True, "warnings": 3}


def test_what_the_checks_find_now_is_compared_with_the_record(tmp_path: Path) -> None:
    path = record_file(tmp_path)

    def older_checks(data: dict) -> None:
        sentence = data["translation"]["paragraphs"][1]["sentences"][1]
        sentence["findings"] = []  # an older nlbrief missed the lost number
        bullet = data["checks"]["bullets"][0]
        bullet["findings"] = [{"kind": "name", "severity": "warning", "text": "Vecht", "message": "..."}]

    edit(path, older_checks)
    check = check_output(path)
    assert check is not None and check.changed
    assert [(f.where, f.text) for f in check.changes.not_in_record] == [
        ("paragraph 2, sentence 2", "vijftig")
    ]
    assert [(f.where, f.text) for f in check.changes.only_in_record] == [("", "Vecht")]
    lines = check.lines()
    assert "  paragraph 2, sentence 2: number 'vijftig' of the source is missing [not in the record]" in lines
    assert (
        "  differs from the record: 1 finding not in the record, 1 finding of the record not found now"
        in lines
    )


def test_another_checks_version_is_said(tmp_path: Path) -> None:
    path = record_file(tmp_path)
    edit(path, lambda data: data["checks"].update(version=CHECKS_VERSION - 1))
    check = check_output(path)
    assert check is not None and check.changed and not check.changes.not_in_record
    assert (
        f"checked with checks version {CHECKS_VERSION - 1}, these with {CHECKS_VERSION}" in check.lines()[-1]
    )


def test_a_glossary_given_now_is_held_against_the_record(tmp_path: Path) -> None:
    glossary = Glossary.from_mapping({"fietsbrug": ["bicycle bridge"]})
    check = check_output(record_file(tmp_path), glossary)
    assert check is not None
    new = [(f.where, f.kind.value) for f in check.changes.not_in_record]
    assert new == [("the title, sentence 1", "glossary"), ("paragraph 1, sentence 1", "glossary")]
    # A record made with a glossary keeps its glossary findings when none is given now, and says so.
    kept = check_output(record_file(tmp_path, glossary))
    assert kept is not None and not kept.changed
    assert [f.where for f in kept.findings if f.kind.value == "glossary"] == [w for w, _ in new]
    assert "pass --glossary FILE to check them again" in kept.lines()[-1]


def test_a_summarize_record_is_reported_as_it_is_not_checked_again(tmp_path: Path) -> None:
    check = check_output(record_file(tmp_path, translated_too=False))
    assert check is not None and (check.command, check.rechecked, check.changed) == (
        "summarize",
        False,
        False,
    )
    assert check.findings == check.stored and check.stored  # its bullets were checked against the Dutch text
    assert check.to_json()["remarks"] == [
        "no source text in the record (nlbrief summarize): its stored checks are shown, not checked again"
    ]


def test_a_translate_json_output_is_checked_sentence_by_sentence(tmp_path: Path) -> None:
    _, translation = translated()
    path = tmp_path / "brug.json"
    path.write_text(render_json(translation, {"model": "table"}), encoding="utf-8")
    check = check_output(path)
    assert check is not None and check.command == "translate" and not check.changed
    assert placed(check) == [
        ("paragraph 2, sentence 2", "number", "vijftig"),
        ("paragraph 3, sentence 1", "unknown", "<unk>"),
    ]


def request(tmp_path: Path, json_report: bool = False) -> CheckRequest:
    return CheckRequest(
        targets=[str(tmp_path)], json=json_report, fail_on="never", glossary=None, max_file_size=1
    )


def run_folder(folder: Path, json_report: bool = False) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = check_folder(str(folder), request(folder, json_report), None, out, err)
    return status, out.getvalue(), err.getvalue()


def test_a_folder_reports_each_record_and_names_what_it_cannot_read(tmp_path: Path) -> None:
    record_file(tmp_path)
    (tmp_path / "2026-03-02.json").write_text('{"stories": []}', encoding="utf-8")  # a briefing's JSON
    (tmp_path / "kapot.json").write_text("{edited", encoding="utf-8")
    (tmp_path / ".nlbrief-tmp-x.json").write_text("{", encoding="utf-8")  # a write's temp file: not read
    status, out, err = run_folder(tmp_path, json_report=True)
    [line] = [json.loads(line) for line in out.splitlines()]
    assert (line["path"], line["flagged"], line["warnings"]) == (str(tmp_path / "brug.json"), True, 3)
    assert line["findings"][0]["where"] == "paragraph 2, sentence 2"
    assert status == 1
    assert err.splitlines() == [
        f"error: {tmp_path / 'kapot.json'}: cannot be read as an article record "
        "(Expecting property name enclosed in double quotes: line 1 column 2 (char 1))",
        f"note: 1 JSON file of {tmp_path} not nlbrief records, left out: 2026-03-02.json",
        "1 article checked, 1 flagged (findings: 2 number, 1 unknown); 1 unreadable record "
        "(see the error: lines)",
    ]


def test_the_text_report_lists_findings_with_where(tmp_path: Path) -> None:
    record_file(tmp_path)
    status, out, _ = run_folder(tmp_path)
    assert out.splitlines() == [
        f"{tmp_path / 'brug.json'} (process): flagged, 3 warnings",
        "  paragraph 2, sentence 2: number 'vijftig' of the source is missing",
        "  paragraph 3, sentence 1: the model wrote 1 unknown token (<unk>), dropped from the text: a "
        "character or word of the source may be missing",
        "  bullet 2: number '5,000' is not in the article",
        "1 article checked, 1 flagged (findings: 2 number, 1 unknown)",
    ]
    assert status == 0


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda folder: None, "holds no nlbrief records; give the output folder (-o) of nlbrief process"),
        (
            lambda folder: (folder / "manifest.jsonl").write_text(
                '{"command": "translate", "output": "a.txt"}\n'
            ),
            "holds nlbrief translate outputs without their sentences; translate with --format json",
        ),
    ],
)
def test_a_folder_without_records_is_a_usage_error_with_the_fix(
    tmp_path: Path, make: Any, problem: str
) -> None:
    make(tmp_path)
    with pytest.raises(UsageError, match=re.escape(problem)):
        run_folder(tmp_path)


def test_a_missing_folder_or_a_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such folder"):
        run_folder(tmp_path / "nowhere")
    (tmp_path / "pairs.tsv").write_text("a\tb\n")
    with pytest.raises(UsageError, match="check a file of pairs with: nlbrief check pairs"):
        run_folder(tmp_path / "pairs.tsv")
