"""Every sentence the translator generates is checked; a flagged one is tried once more, another way,
and both tries are kept; the memory keeps the findings (pipeline/translate/translator.py, retry.py)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers.fakes import EOS, EchoBackend

from pipeline.checks.findings import Finding, Kind, Severity
from pipeline.checks.glossary import Glossary
from pipeline.ingest.document import Document, Paragraph
from pipeline.translate import retry
from pipeline.translate.formats import render_json
from pipeline.translate.memory import MemoryAdapter, TranslationMemory
from pipeline.translate.results import Remembered
from pipeline.translate.translator import TranslateSettings, Translator

FIELDS = {"translator": "fake", "schema": 2}


@dataclass
class DroppingBackend(EchoBackend):
    """Echoes the words, but drops those with digits from an input longer than ``longest`` words, or
    from every input when ``always``, unless asked for ``fixed_beams``: a small model losing numbers in
    long segments."""

    longest: int = 4
    always: bool = False
    fixed_beams: int | None = None

    def generate(
        self, batch: Sequence[Sequence[int]], max_new_tokens: int, beams: int | None = None
    ) -> list[list[int]]:
        out = super().generate(batch, max_new_tokens, beams)
        return [self._drop(ids, beams) for ids in out]

    def _drop(self, ids: list[int], beams: int | None) -> list[int]:
        if beams is not None and beams == self.fixed_beams:
            return ids
        if not self.always and len(ids) <= self.longest:
            return ids
        return [i for i in ids if not any(c.isdigit() for c in self.words.get(i, ""))]


def test_a_sentence_that_lost_a_number_is_tried_again_clause_by_clause_and_the_better_try_kept() -> None:
    backend = DroppingBackend()
    sentence = "Er kwamen 120 bezoekers, meldde de organisatie van het festival."
    [result] = Translator(backend, TranslateSettings()).translate_sentences([sentence])
    assert "120" in result.target and result.findings == []
    retry = result.retry
    assert retry is not None and retry.kept_second and "clause by clause (2 parts)" in retry.how
    assert "120" not in retry.first.target
    assert [f.kind for f in retry.first.findings] == [Kind.NUMBER] and retry.second.findings == ()


def test_a_sentence_without_clauses_is_tried_again_with_another_beam_setting() -> None:
    backend = DroppingBackend(longest=2, fixed_beams=1)
    [result] = Translator(backend, TranslateSettings(beams=4)).translate_sentences(
        ["Er kwamen 120 bezoekers."]
    )
    assert backend.beams == [None, 1]
    assert result.retry is not None and result.retry.kept_second and "1 beam instead of 4" in result.retry.how
    assert "120" in result.target and not result.flagged


def test_a_second_try_that_is_no_better_is_recorded_and_the_first_kept() -> None:
    backend = DroppingBackend(always=True)
    [result] = Translator(backend, TranslateSettings()).translate_sentences(["Er kwamen 120 bezoekers."])
    assert result.retry is not None and not result.retry.kept_second
    assert result.target == result.retry.first.target and result.flagged
    assert result.retry.second.findings  # both tries are kept, with what was found in each


def test_a_translation_wrong_all_over_is_not_tried_again_and_the_document_says_so() -> None:
    many = "Op 3 mei kwamen 120 bezoekers en 45 kramen uit Delft, Gouda en Breda naar de 7 markten."
    doc = Document("a.txt", "a.txt", "0" * 64, None, None, [Paragraph(many)])
    backend = DroppingBackend(always=True)
    [result] = Translator(backend, TranslateSettings()).translate_documents([doc])
    [sentence] = result.sentences()
    assert len([f for f in sentence.findings if f.warning]) > retry.MAX_WARNINGS
    assert sentence.retry is None and sentence.retry_skipped and backend.beams == [None]
    assert any("1 flagged sentence not tried again" in w for w in result.warnings)


def test_a_sentence_cut_into_parts_is_checked_part_by_part_and_not_tried_again() -> None:
    long = "Er kwamen 120 bezoekers en 40 kramen naar de markt van het dorp aan de rivier"
    backend = DroppingBackend(max_input_tokens=8, longest=100)
    [result] = Translator(backend, TranslateSettings()).translate_sentences([long])
    assert result.parts > 1 and result.findings == [] and result.retry is None
    dropping = DroppingBackend(max_input_tokens=8, always=True)
    [lost] = Translator(dropping, TranslateSettings()).translate_sentences([long])
    assert sorted(f.text for f in lost.findings if f.kind is Kind.NUMBER) == ["120", "40"]
    assert lost.retry is None and lost.retry_skipped


def test_whether_a_sentence_is_tried_again_does_not_depend_on_the_others_of_its_batch() -> None:
    sentence = "Er kwamen 120 bezoekers, meldde de organisatie van het festival."
    others = [
        f"Op {n} mei kwamen {100 + n} bezoekers uit Delft, Gouda en Breda naar de markt." for n in range(20)
    ]
    [alone] = Translator(DroppingBackend(), TranslateSettings()).translate_sentences([sentence])
    together = Translator(DroppingBackend(), TranslateSettings()).translate_sentences([*others, sentence])
    assert together[-1] == alone and alone.retry is not None


@dataclass
class UnknownBackend(EchoBackend):
    """Writes <unk> (id 999, dropped when decoding) for the word "☃", as opus-mt does for a character
    its vocabulary lacks."""

    unknown_id: int | None = 999

    def generate(
        self, batch: Sequence[Sequence[int]], max_new_tokens: int, beams: int | None = None
    ) -> list[list[int]]:
        out = super().generate(batch, max_new_tokens, beams)
        return [[999 if self.words.get(i) == "☃" else i for i in ids] for ids in out]

    def decode(self, outputs: Sequence[Sequence[int]]) -> list[str]:
        return super().decode([[i for i in ids if i != self.unknown_id] for ids in outputs])


def test_unknown_tokens_are_counted_before_decoding_drops_them() -> None:
    backend = UnknownBackend()
    settings = TranslateSettings(retry=False)
    [result] = Translator(backend, settings).translate_sentences(["Het sneeuwt ☃ in Delft."])
    assert "☃" not in result.target
    assert [f.kind for f in result.findings] == [Kind.UNKNOWN] and "1 unknown token" in result.findings[
        0
    ].message


@dataclass
class LoopingBackend(EchoBackend):
    """Repeats the first word of its input up to the bound: a runaway repetition."""

    def generate(
        self, batch: Sequence[Sequence[int]], max_new_tokens: int, beams: int | None = None
    ) -> list[list[int]]:
        return [[ids[0]] * max_new_tokens for ids in batch if ids[0] != EOS]


def test_an_output_that_runs_into_its_bound_is_cut_off_and_a_loop() -> None:
    settings = TranslateSettings(retry=False)
    [result] = Translator(LoopingBackend(), settings).translate_sentences(["De dijk houdt het water tegen."])
    assert {Kind.CUT_OFF, Kind.LOOP, Kind.LENGTH} <= {f.kind for f in result.findings}


def memory_translator(path: Path, backend: EchoBackend, glossary: Glossary | None = None) -> Translator:
    adapter = MemoryAdapter(TranslationMemory(path), FIELDS)
    return Translator(backend, TranslateSettings(), adapter, glossary)


def test_the_memory_keeps_findings_and_both_tries(tmp_path: Path) -> None:
    db = tmp_path / "tm.sqlite3"
    sentences = ["Er kwamen 120 bezoekers, meldde de organisatie van het festival.", "Het regent."]
    first = memory_translator(db, DroppingBackend()).translate_sentences(sentences)
    again_backend = DroppingBackend(always=True)
    again = memory_translator(db, again_backend).translate_sentences(sentences)
    assert again_backend.batches == [] and all(r.cached for r in again)
    assert [(r.target, r.findings, r.retry) for r in again] == [
        (r.target, r.findings, r.retry) for r in first
    ]


def test_a_flagged_translation_is_never_remembered_as_clean(tmp_path: Path) -> None:
    db = tmp_path / "tm.sqlite3"
    [first] = memory_translator(db, DroppingBackend(always=True)).translate_sentences(
        ["Er kwamen 120 bezoekers."]
    )
    [again] = memory_translator(db, DroppingBackend()).translate_sentences(["Er kwamen 120 bezoekers."])
    assert again.cached and again.flagged and again.findings == first.findings


def test_findings_of_older_checks_are_made_again_and_the_model_signs_kept(tmp_path: Path) -> None:
    db = tmp_path / "tm.sqlite3"
    memory = TranslationMemory(db)
    adapter = MemoryAdapter(memory, FIELDS)
    unknown = Finding(Kind.UNKNOWN, Severity.WARNING, "<unk>", "the model wrote 1 unknown token")
    stale = Finding(Kind.NAME, Severity.WARNING, "Zwolle", "an old check's finding")
    adapter.put(
        {
            "Er kwamen 120 bezoekers.": Remembered(
                "There came visitors.", 1, 5, findings=(unknown, stale), checks_version=0
            )
        }
    )
    [result] = Translator(EchoBackend(), TranslateSettings(), adapter).translate_sentences(
        ["Er kwamen 120 bezoekers."]
    )
    assert result.cached
    assert [(f.kind, f.text) for f in result.findings] == [(Kind.UNKNOWN, "<unk>"), (Kind.NUMBER, "120")]


def test_the_glossary_is_checked_every_run_and_not_remembered(tmp_path: Path) -> None:
    db = tmp_path / "tm.sqlite3"
    doc = Document("a.txt", "a.txt", "0" * 64, "Debat", None, [Paragraph("De Tweede Kamer stemde.")])
    glossary = Glossary.from_mapping({"Tweede Kamer": ["House of Representatives"]})
    [checked] = memory_translator(db, EchoBackend(), glossary).translate_documents([doc])
    finding = checked.paragraphs[0].sentences[0].findings[-1]
    assert finding.kind is Kind.GLOSSARY and finding.where == "paragraph 1, sentence 1"
    [plain] = memory_translator(db, EchoBackend()).translate_documents([doc])
    assert plain.paragraphs[0].sentences[0].cached
    assert all(f.kind is not Kind.GLOSSARY for f in plain.paragraphs[0].sentences[0].findings)


def test_the_json_output_marks_flagged_sentences_and_lists_the_checks() -> None:
    doc = Document(
        "a.txt", "a.txt", "0" * 64, "Markt", None,
        [Paragraph("Er kwamen 120 bezoekers naar de markt. Het was druk."), Paragraph("Het regent.")],
    )  # fmt: skip
    settings = TranslateSettings(retry=False)
    [result] = Translator(DroppingBackend(longest=3), settings).translate_documents([doc])
    data = json.loads(render_json(result, {}))
    first, second = data["paragraphs"]
    assert first["flagged"] and not second["flagged"]
    assert [s["flagged"] for s in first["sentences"]] == [True, False]
    [finding] = first["sentences"][0]["findings"]
    assert finding["kind"] == "number" and finding["where"] == "paragraph 1, sentence 1"
    assert data["checks"]["sentences_flagged"] == 1 and data["checks"]["findings"] == [finding]


@dataclass
class WorkingAhead(EchoBackend):
    """A backend with workers (generate_many): records when it hands back each batch."""

    events: list[str] | None = None

    def generate_many(self, work, beams=None):  # type: ignore[no-untyped-def]
        for n, (batch, bound) in enumerate(work):
            assert self.events is not None
            self.events.append(f"batch {n}")
            yield self.generate(batch, bound, beams=beams)


def test_each_sentence_is_checked_as_its_batch_comes_back_while_the_backend_works_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pipeline.translate.translator as translator_module

    events: list[str] = []
    real_check = translator_module.check_sentence

    def recording(source: str, target: str, **kw):  # type: ignore[no-untyped-def]
        events.append(f"check {source.split()[0]}")
        return real_check(source, target, **kw)

    monkeypatch.setattr(translator_module, "check_sentence", recording)
    sentences = ["Een twee drie vier vijf zes.", "Zeven acht negen tien.", "Elf twaalf dertien."]
    settings = TranslateSettings(batch_tokens=8, retry=False)  # one sentence a batch
    results = Translator(WorkingAhead(events=events), settings).translate_sentences(sentences)
    assert [r.source for r in results] == sentences
    assert events == ["batch 0", "check Een", "batch 1", "check Zeven", "batch 2", "check Elf"]
