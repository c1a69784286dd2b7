"""Article records read back from their JSON files (what ``ArticleRecord.to_dict`` wrote): the fields a
reader of records uses (``nlbrief brief``, ``nlbrief check``), checked and typed. A record edited by hand,
or written by another version of nlbrief, gives an InputError naming the key that is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.checks.findings import Finding, findings_from_json
from pipeline.checks.summary import ClaimCheck
from pipeline.errors import InputError


@dataclass(frozen=True)
class SavedSentence:
    source: str  # the Dutch
    translation: str
    passthrough: bool = False  # given in English, not translated
    findings: tuple[Finding, ...] = ()  # as the record's checks found them
    pieces: tuple[tuple[str, str], ...] = ()  # each part's source and translation, when cut into parts


@dataclass(frozen=True)
class SavedParagraph:
    source: str  # the Dutch
    translation: str
    sentences: tuple[SavedSentence, ...] = ()  # empty in a record made before nlbrief checked


@dataclass(frozen=True)
class SavedTranslation:
    title: str | None
    paragraphs: list[SavedParagraph]
    title_sentences: tuple[SavedSentence, ...] = ()


@dataclass(frozen=True)
class SavedChecks:
    """The checks of an article record read back: what a briefing marks and ``nlbrief check`` reports."""

    translation: list[Finding]  # placed: "paragraph 2, sentence 1"
    headline: ClaimCheck
    bullets: list[ClaimCheck]  # in the order of the record's bullets
    dropped: list[ClaimCheck]

    @classmethod
    def from_dict(cls, data: object) -> SavedChecks | None:
        """None for a record made before nlbrief checked (or with checks edited out of shape)."""
        if not isinstance(data, dict):
            return None
        translation = data.get("translation")
        headline = data.get("headline")
        return cls(
            findings_from_json(translation.get("findings") if isinstance(translation, dict) else None),
            ClaimCheck.from_dict(headline) if isinstance(headline, dict) else ClaimCheck(""),
            [ClaimCheck.from_dict(c) for c in data.get("bullets") or [] if isinstance(c, dict)],
            [ClaimCheck.from_dict(c) for c in data.get("dropped") or [] if isinstance(c, dict)],
        )

    def findings(self) -> list[Finding]:
        claims = (self.headline, *self.bullets, *self.dropped)
        return [*self.translation, *(f for claim in claims for f in claim.findings)]


@dataclass(frozen=True)
class SavedArticle:
    """An article record read back from its JSON file (what ``ArticleRecord.to_dict`` wrote): the
    fields a reader of records (``nlbrief brief``) uses, checked and typed."""

    id: str
    source_path: str
    sha256: str
    date: str | None
    date_source: str
    metadata: dict[str, str]
    original_title: str | None
    headline: str
    bullets: list[str]
    translation: SavedTranslation | None  # None for a record of `nlbrief summarize`
    warnings: list[str]
    checks: SavedChecks | None = None  # None for a record made before nlbrief checked

    @classmethod
    def from_file(cls, path: Path) -> SavedArticle:
        """The record in ``path``; InputError when it cannot be read, is not JSON (a record kept
        because it was edited by hand may no longer be) or is not an article record (``from_dict``)."""
        return cls.from_dict(load_json(path), str(path))

    @classmethod
    def from_dict(cls, data: object, path: str = "article record") -> SavedArticle:
        """Raises InputError (naming ``path``) when a key is missing, renamed or of the wrong type:
        a record edited by hand, or written by another version of nlbrief."""
        record = _Checked(data, path)
        translation = record.optional("translation", dict)
        translated = None if translation is None else _translation(_Checked(translation, path, "translation"))
        return cls(
            id=record.text("id"),
            source_path=record.text("source_path"),
            sha256=record.text("sha256"),
            date=record.optional("date", str),
            date_source=record.text("date_source"),
            metadata=record.get("metadata", _is_str_dict, "an object of texts"),
            original_title=record.optional("original_title", str),
            headline=record.text("headline"),
            bullets=record.get("bullets", _is_str_list, "a list of texts"),
            translation=translated,
            warnings=record.get("warnings", _is_str_list, "a list of texts"),
            checks=SavedChecks.from_dict(record.data.get("checks")),
        )

    def dutch_text(self) -> str:
        """The original title and the Dutch paragraphs, a line each."""
        paragraphs = self.translation.paragraphs if self.translation else []
        return "\n".join([self.original_title or "", *(p.source for p in paragraphs)])

    def english_text(self) -> str:
        """The translated title and paragraphs, a line each."""
        title = self.translation.title if self.translation else None
        paragraphs = self.translation.paragraphs if self.translation else []
        return "\n".join([title or "", *(p.translation for p in paragraphs)])


def load_json(path: Path) -> object:
    """The JSON of an output file; InputError when it cannot be read or is not JSON (a file kept because
    it was edited by hand may no longer be)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise InputError(str(path), f"cannot be read as an article record ({err})") from None


def translation_output(data: object, path: str = "translation") -> SavedTranslation:
    """The translation of an ``nlbrief translate --format json`` output (formats.translation_record):
    its title, and each paragraph with its sentences; InputError naming the key that is wrong."""
    record = _Checked(data, path, what="translation output")
    title_unit = record.optional("title_unit", dict)
    return SavedTranslation(
        title=record.optional("title", str),
        paragraphs=_paragraphs(record, "paragraphs"),
        title_sentences=_sentences(title_unit.get("sentences") if title_unit else None),
    )


def _translation(translation: _Checked) -> SavedTranslation:
    return SavedTranslation(
        title=translation.optional("title", str),
        paragraphs=_paragraphs(translation, "translation.paragraphs"),
        title_sentences=_sentences(translation.data.get("title_sentences")),
    )


def _paragraphs(parent: _Checked, name: str) -> list[SavedParagraph]:
    paragraphs = parent.get("paragraphs", lambda v: isinstance(v, list), "a list")
    units = [_Checked(p, parent.path, f"{name}[{i}]", parent.what) for i, p in enumerate(paragraphs)]
    return [
        SavedParagraph(unit.text("source"), unit.text("translation"), _sentences(unit.data.get("sentences")))
        for unit in units
    ]


def _sentences(data: object) -> tuple[SavedSentence, ...]:
    """The sentences of a paragraph; those not in shape are left out (a record edited by hand)."""
    found = []
    for item in data if isinstance(data, list) else []:
        if (
            isinstance(item, dict)
            and isinstance(item.get("source"), str)
            and isinstance(item.get("translation"), str)
        ):
            findings = tuple(findings_from_json(item.get("findings")))
            passthrough = item.get("passthrough") is True
            pieces = tuple(
                (piece["source"], piece["translation"])
                for piece in item.get("pieces") or []
                if isinstance(piece, dict)
                and isinstance(piece.get("source"), str)
                and isinstance(piece.get("translation"), str)
            )
            found.append(
                SavedSentence(
                    item["source"], item["translation"], passthrough, findings=findings, pieces=pieces
                )
            )
    return tuple(found)


class _Checked:
    """One JSON object of a record, read key by key; a key that is not there as it should be is an
    InputError that names it."""

    def __init__(self, data: object, path: str, where: str = "", what: str = "article record") -> None:
        self.path, self.where, self.what = path, where, what
        if not isinstance(data, dict):
            raise self._error(f"{where or 'the record'} is not a JSON object")
        self.data: dict[str, Any] = data

    def _error(self, problem: str) -> InputError:
        return InputError(self.path, f"is not an nlbrief {self.what}: {problem}")

    def get(self, key: str, valid: Callable[[Any], bool], what: str) -> Any:
        name = f"{self.where}.{key}" if self.where else key
        if key not in self.data:
            raise self._error(f"it has no {name!r}")
        if not valid(self.data[key]):
            raise self._error(f"its {name!r} is not {what}")
        return self.data[key]

    def text(self, key: str) -> str:
        value: str = self.get(key, lambda v: isinstance(v, str), "a text")
        return value

    def optional(self, key: str, kind: type) -> Any:
        what = "a text" if kind is str else "an object" if kind is dict else kind.__name__
        return self.get(key, lambda v: v is None or isinstance(v, kind), f"{what} or null")


def _is_str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _is_str_dict(value: object) -> bool:
    return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
