"""The Document: what every stage after reading works on."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class DateSource(StrEnum):
    """Where ``Document.date`` came from; a str, so records hold (and compare with) the plain value."""

    METADATA = "metadata"  # the file's ``date`` first line or front matter, or a web page's own date
    FILENAME = "filename"  # a leading YYYY-MM-DD in the file's name
    MTIME = "mtime"  # the file's modification time, which a copy, clone or unzip resets
    NONE = ""  # unknown (stdin without a date)


class ParagraphKind(StrEnum):
    TEXT = "text"
    HEADING = "heading"
    LIST_ITEM = "list_item"


@dataclass(frozen=True)
class Paragraph:
    """One unit of layout. ``marker`` is a list item's bullet ("- ", "1. "), kept out of translation."""

    text: str
    kind: ParagraphKind = ParagraphKind.TEXT
    marker: str = ""


@dataclass
class Document:
    """A source article after decoding and parsing.

    ``id`` is the path relative to the folder it was found in (posix), or "stdin".
    ``date_source`` says where ``date`` came from (a DateSource: "metadata", "filename", "mtime", "").
    """

    id: str
    source_path: str
    sha256: str
    title: str | None
    date: str | None
    paragraphs: list[Paragraph]
    date_source: DateSource = DateSource.NONE
    metadata: dict[str, str] = field(default_factory=dict)
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)

    def units(self) -> list[Paragraph]:
        """Title first (as a heading), then the paragraphs: everything that gets translated."""
        head = [Paragraph(self.title, ParagraphKind.HEADING)] if self.title else []
        return head + list(self.paragraphs)
