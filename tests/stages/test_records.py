"""Article records read back: SavedArticle.from_dict takes what ArticleRecord wrote, and refuses,
naming the key, what is not an article record any more."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers.fakes import FakeBackend

from pipeline.errors import InputError
from pipeline.ingest.document import Document, Paragraph
from pipeline.stages.records import ArticleRecord, render_record_json
from pipeline.stages.saved import SavedArticle
from pipeline.summarize.summarizer import SummaryResult
from pipeline.translate.translator import TranslateSettings, Translator


def written(translated: bool = True) -> dict[str, Any]:
    doc = Document(
        id="a.txt", source_path="/in/a.txt", sha256="ab" * 32, title="De titel", date="2025-10-07",
        paragraphs=[Paragraph("Het regent in Delft."), Paragraph("Morgen is het droog.")],
        date_source="metadata", metadata={"url": "https://example.nl/a", "source": "Omroep"},
    )  # fmt: skip
    [translation] = Translator(FakeBackend(), TranslateSettings()).translate_documents([doc])
    summary = SummaryResult(["Rain in Delft."], headline="Rain", warnings=["a warning"])
    record = ArticleRecord.checked(doc, translation if translated else None, summary)
    data: dict[str, Any] = json.loads(render_record_json(record, {"summarizer_model": "m"}))
    return data


def paragraphs(record: dict[str, Any]) -> list[Any]:
    found: list[Any] = record["translation"]["paragraphs"]
    return found


def test_a_written_record_reads_back_typed() -> None:
    article = SavedArticle.from_dict(written(), "a.json")
    assert (article.id, article.source_path, article.date, article.date_source) == (
        "a.txt", "/in/a.txt", "2025-10-07", "metadata"
    )  # fmt: skip
    assert article.metadata == {"url": "https://example.nl/a", "source": "Omroep"}
    assert (article.original_title, article.headline) == ("De titel", "Rain")
    assert article.bullets == ["Rain in Delft."]
    assert article.translation is not None and article.translation.title == "DE TITEL"
    assert [(p.source, p.translation) for p in article.translation.paragraphs] == [
        ("Het regent in Delft.", "HET REGENT IN DELFT."),
        ("Morgen is het droog.", "MORGEN IS HET DROOG."),
    ]
    assert article.warnings == ["a warning"]
    assert SavedArticle.from_dict(written(translated=False)).translation is None  # nlbrief summarize's


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda r: r.pop("headline"), "it has no 'headline'"),
        (lambda r: r.update(date=20251007), "its 'date' is not a text or null"),
        (lambda r: r.update(bullets=["one", 2]), "its 'bullets' is not a list of texts"),
        (lambda r: r.update(metadata={"url": None}), "its 'metadata' is not an object of texts"),
        (lambda r: r.update(translation=[]), "its 'translation' is not an object or null"),
        (lambda r: r["translation"].pop("paragraphs"), "it has no 'translation.paragraphs'"),
        (lambda r: paragraphs(r)[1].pop("source"), "it has no 'translation.paragraphs[1].source'"),
        (lambda r: paragraphs(r).append("x"), "translation.paragraphs[2] is not a JSON object"),
    ],
)
def test_a_missing_renamed_or_mistyped_key_is_an_input_error_that_names_it(edit, problem: str) -> None:
    record = written()
    edit(record)
    with pytest.raises(InputError) as raised:
        SavedArticle.from_dict(record, "out/a.json")
    assert str(raised.value) == f"out/a.json: is not an nlbrief article record: {problem}"


def test_json_that_is_not_an_object_is_no_record() -> None:
    with pytest.raises(InputError, match="the record is not a JSON object"):
        SavedArticle.from_dict(["a", "list"])


def test_a_file_that_is_not_json_is_no_record(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text("{edited by hand", encoding="utf-8")
    with pytest.raises(InputError, match=r"a\.json: cannot be read as an article record \("):
        SavedArticle.from_file(path)
    path.write_text(json.dumps(written()), encoding="utf-8")
    assert SavedArticle.from_file(path).headline == "Rain"
