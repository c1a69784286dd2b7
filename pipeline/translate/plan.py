"""What of a document is translated: its language checked, its units split into sentences, and the
English paragraphs (or the whole English document) passed through untranslated."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.errors import InputError
from pipeline.ingest.document import Document, Paragraph, ParagraphKind
from pipeline.text.language import LANGUAGE_NAMES, detect_language, looks_english
from pipeline.text.segment import split_sentences

LETTER = re.compile(r"[^\W\d_]")


def body_text(doc: Document) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def check_language(doc: Document) -> None:
    """Refuse a document in a language other than Dutch or English (English is passed through)."""
    guess = detect_language(body_text(doc))
    if guess.language not in {"nl", "en", "unknown"} and guess.confidence >= 0.5:
        name = LANGUAGE_NAMES.get(guess.language, guess.language)
        raise InputError(
            doc.source_path,
            f"looks like {name}, not Dutch",
            "nlbrief translates Dutch (pass --no-language-check to translate anyway)",
        )


def has_words(sentence: str) -> bool:
    """Whether a sentence has anything to translate. One of only numbers, symbols and emoji is
    kept as it is: the model has nothing to do there but could drop what it has no token for
    (emoji become <unk>) or invent words."""
    return LETTER.search(sentence) is not None


def unit_sentences(unit: Paragraph) -> list[str]:
    """A heading is one unit whatever its punctuation; other paragraphs are split into sentences."""
    if unit.kind is ParagraphKind.HEADING:
        return [unit.text]
    return split_sentences(unit.text) or [unit.text]


def passthrough_plan(doc: Document) -> tuple[bool, list[bool]]:
    """Whether the whole document is English, and per unit (title first) whether it is passed
    through untranslated: every unit of an English document, else each English text paragraph."""
    whole_english = looks_english(body_text(doc))
    units = doc.units()
    return whole_english, [
        whole_english or (unit.kind is ParagraphKind.TEXT and looks_english(unit.text)) for unit in units
    ]


@dataclass(frozen=True)
class PlannedUnit:
    unit: Paragraph
    sentences: list[str]
    english: bool  # passed through untranslated


@dataclass(frozen=True)
class DocumentPlan:
    """A document ready for the translator: its units split into sentences, and which are passed through
    as English. Made without a model, so that a cluster makes it in tasks, apart from the model's actors."""

    doc: Document
    units: list[PlannedUnit]
    whole_english: bool

    def wanted(self) -> list[str]:
        """The sentences to translate, in reading order."""
        return [s for u in self.units if not u.english for s in u.sentences if has_words(s)]


def plan_document(doc: Document) -> DocumentPlan:
    whole_english, english_units = passthrough_plan(doc)
    units = [
        PlannedUnit(unit, unit_sentences(unit), english)
        for unit, english in zip(doc.units(), english_units, strict=True)
    ]
    return DocumentPlan(doc, units, whole_english)


def document_sentences(doc: Document) -> list[list[str]]:
    """Sentences per unit (title first), in reading order."""
    return [unit_sentences(unit) for unit in doc.units()]
