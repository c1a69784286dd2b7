"""Tests for reading sources: discovery, decoding, metadata and paragraphs."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import io
import os
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pipeline.errors import InputError
from pipeline.ingest.discover import Discovery
from pipeline.ingest.document import Document, Paragraph, ParagraphKind
from pipeline.ingest.reading import read_input
from pipeline.ingest.sources import SourceFile, decode_bytes, discover, read_document
from pipeline.run.contracts import DEFAULT_MAX_FILE_SIZE

HEADING, TEXT, ITEM = ParagraphKind.HEADING, ParagraphKind.TEXT, ParagraphKind.LIST_ITEM

# Written for these tests, in the layout of the real articles: a date line with the
# first paragraph on it, one paragraph per line, section headings without punctuation.
ARTICLE = (
    " date 2024-11-18 De gemeente Utrecht wil in 2026 drie nieuwe fietsenstallingen openen bij het station."
    " Volgens de wethouder is de vraag naar stallingsplekken sterk gegroeid.\n"
    "Het plan kost naar schatting 14 miljoen euro en wordt deels betaald door de provincie.\n"
    "Kritiek uit de raad\n"
    "De oppositie noemt het plan “te duur en te laat”.\n"
    "“We hadden dit vijf jaar geleden al moeten doen,” zei een raadslid dinsdag.\n"
)


# Dated by its name, so that only the tests about dates meet the file-date warning.
NAME = "2024-11-18-artikel.txt"


def write(tmp_path: Path, data: bytes | str, name: str = NAME) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def load(src: SourceFile) -> Document:
    """A source read as the batch run reads it: through the one reader, then parsed."""
    return read_document(src, read_input(src, DEFAULT_MAX_FILE_SIZE))


def read(tmp_path: Path, data: bytes | str, name: str = NAME):
    path = write(tmp_path, data, name)
    return load(SourceFile(path, tmp_path, name))


def texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def squeeze(text: str) -> str:
    return "".join(text.split())


# --- decoding -------------------------------------------------------------------


def test_plain_utf8_is_read_without_warnings(tmp_path):
    doc = read(
        tmp_path, "De coalitie is het eens over de begroting.\nDe oppositie is kritisch over ideeën.\n"
    )
    assert doc.encoding == "utf-8"
    assert doc.warnings == []
    assert texts(doc) == [
        "De coalitie is het eens over de begroting.",
        "De oppositie is kritisch over ideeën.",
    ]


@pytest.mark.parametrize(
    ("bom", "codec", "expected"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    ],
)
def test_byte_order_marks_decide_the_encoding(tmp_path, bom, codec, expected):
    text = "Drie ministers zijn afgetreden na het debat over Oekraïne.\r\nDe premier reageert € 0 later."
    doc = read(tmp_path, bom + text.encode(codec))
    assert doc.encoding == expected
    assert texts(doc) == [
        "Drie ministers zijn afgetreden na het debat over Oekraïne.",
        "De premier reageert € 0 later.",
    ]
    assert not doc.paragraphs[0].text.startswith("\ufeff")
    assert doc.warnings == []


def test_utf16_bom_with_broken_data_names_the_fix(tmp_path):
    with pytest.raises(InputError, match="UTF-16-LE byte-order mark but is not valid"):
        read(tmp_path, codecs.BOM_UTF16_LE + "Tekst.".encode("utf-16-le") + b"\x00")


def test_cp1252_is_decoded_with_a_warning(tmp_path):
    text = "De kaartjes kosten € 12 per persoon.\nDe ideeën van de minister zijn financieel onderbouwd.\n"
    doc = read(tmp_path, text.encode("cp1252"))
    assert doc.encoding == "cp1252"
    assert texts(doc) == [
        "De kaartjes kosten € 12 per persoon.",
        "De ideeën van de minister zijn financieel onderbouwd.",
    ]
    assert doc.warnings == [
        "not UTF-8; decoded as cp1252 (legacy Windows encoding); re-save as UTF-8 to silence this"
    ]


def test_bytes_undefined_in_cp1252_fall_back_to_latin1():
    text, encoding, warnings = decode_bytes("Prijs € 5, ".encode("cp1252") + b"\x81 en dat is alles.")
    assert encoding == "cp1252"
    assert text == "Prijs € 5, \x81 en dat is alles."
    assert len(warnings) == 1 and "cp1252" in warnings[0]


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_line_endings_are_normalised(tmp_path, newline):
    lines = ["Eerste zin van het stuk.", "Tweede zin van het stuk.", "Derde zin."]
    text, _, _ = decode_bytes(newline.join(lines).encode())
    assert text == "\n".join(lines)
    doc = read(tmp_path, newline.join(lines))
    assert texts(doc) == lines


def test_mixed_line_endings_with_blank_lines(tmp_path):
    doc = read(tmp_path, "Een regel die\r\ndoorloopt.\r\rNieuwe alinea\rook gewrapt.\n")
    assert texts(doc) == ["Een regel die doorloopt.", "Nieuwe alinea ook gewrapt."]


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive"),
        (b"GIF89a\x01\x00\x01\x00", "GIF image"),
        (b"Gewone tekst\x00met een NUL-byte.", "NUL bytes"),
        (bytes(range(1, 9)) * 20, "control characters"),
    ],
)
def test_binary_data_is_refused(tmp_path, data, why):
    with pytest.raises(InputError) as err:
        read(tmp_path, data, "plaatje.txt")
    message = str(err.value)
    assert message.startswith(str(tmp_path / "plaatje.txt") + ": ")
    assert "looks like a binary file (not text" in message and why in message
    assert message.endswith("pass a .txt or .md file")
    assert "\n" not in message


@pytest.mark.parametrize(
    "data", [b"", b"   \n\t\r\n  ", codecs.BOM_UTF8, codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")]
)
def test_empty_files_are_refused(tmp_path, data):
    with pytest.raises(InputError) as err:
        read(tmp_path, data, "leeg.txt")
    assert err.value.path == str(tmp_path / "leeg.txt")
    assert err.value.reason == "is empty; nothing to translate"


def test_a_few_control_characters_do_not_make_text_binary():
    text, encoding, _ = decode_bytes(b"Een oud DOS-bestand met een lange zin erin.\n\x1a")
    assert encoding == "utf-8" and text.endswith("\x1a")


# --- reading ----------------------------------------------------------------------


def test_document_fields_and_sha256_of_raw_bytes(tmp_path):
    raw = "Titel van het stuk\r\nDe wethouder kost € 3.\r\n".encode("cp1252")
    path = write(tmp_path, raw, "sub/stuk.txt")
    doc = load(SourceFile(path, tmp_path, "sub/stuk.txt"))
    assert doc.id == "sub/stuk.txt"
    assert doc.source_path == str(path)
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()
    assert doc.title == "Titel van het stuk"


def test_given_data_is_used_instead_of_reading(tmp_path):
    data = b"Dit stuk komt uit het geheugen."
    doc = read_document(SourceFile(tmp_path / "bestaat-niet.txt", tmp_path, "bestaat-niet.txt"), data)
    assert texts(doc) == ["Dit stuk komt uit het geheugen."]
    assert doc.sha256 == hashlib.sha256(data).hexdigest()


def test_stdin_document(monkeypatch):
    doc = read_document(SourceFile(None, None, "stdin"), b"Van standaardinvoer gelezen.")
    assert (doc.id, doc.source_path) == ("stdin", "-")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Via sys.stdin gelezen.")))
    assert texts(load(SourceFile(None, None, "stdin"))) == ["Via sys.stdin gelezen."]


def test_os_errors_become_input_errors(tmp_path, monkeypatch):
    path = write(tmp_path, "Geheim stuk.")

    def denied(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(InputError) as err:
        load(SourceFile(path, tmp_path, path.name))
    assert err.value.path == str(path)
    assert err.value.reason == "cannot be read (Permission denied); check its permissions"


def test_missing_file_and_folder_become_input_errors(tmp_path):
    with pytest.raises(InputError, match="no such file or folder; check the path"):
        load(SourceFile(tmp_path / "weg.txt", tmp_path, "weg.txt"))
    with pytest.raises(InputError, match="is a folder"):
        load(SourceFile(tmp_path, tmp_path.parent, tmp_path.name))


# --- metadata -----------------------------------------------------------------------


def test_date_line_followed_by_text(tmp_path):
    doc = read(tmp_path, ARTICLE)
    assert doc.date == "2024-11-18"
    assert doc.date_source == "metadata"
    assert doc.title is None
    assert doc.paragraphs[0] == Paragraph(
        "De gemeente Utrecht wil in 2026 drie nieuwe fietsenstallingen openen bij het station."
        " Volgens de wethouder is de vraag naar stallingsplekken sterk gegroeid."
    )
    assert [p.kind for p in doc.paragraphs] == [TEXT, TEXT, HEADING, TEXT, TEXT]
    assert doc.paragraphs[2].text == "Kritiek uit de raad"
    assert not any("2024-11-18" in p.text for p in doc.paragraphs)


@pytest.mark.parametrize(
    "line",
    [
        "Date: 2024-11-18 Het water stijgt.",
        "DATE 2024-11-18 Het water stijgt.",
        "\tdate:2024-11-18   Het water stijgt.",
    ],
)
def test_date_line_variants(tmp_path, line):
    doc = read(tmp_path, line + "\nDe dijken houden het.\n")
    assert doc.date == "2024-11-18"
    assert texts(doc) == ["Het water stijgt.", "De dijken houden het."]


def test_date_alone_then_title(tmp_path):
    doc = read(tmp_path, "date 2023-03-01\nNieuwe brug over de Waal\nDe brug gaat in maart open.\n")
    assert (doc.date, doc.title) == ("2023-03-01", "Nieuwe brug over de Waal")
    assert texts(doc) == ["De brug gaat in maart open."]


def test_date_alone_without_title(tmp_path):
    doc = read(tmp_path, "date: 2023-03-01\nDe brug gaat in maart open.\nDe aannemer is tevreden.\n")
    assert doc.title is None and doc.date == "2023-03-01"
    assert texts(doc) == ["De brug gaat in maart open.", "De aannemer is tevreden."]


def test_impossible_date_line_warns_and_gives_no_date(tmp_path):
    doc = read(tmp_path, "date 2023-13-45 De brug gaat open.\nDe aannemer is tevreden.\n")
    assert (doc.date, doc.date_source) == ("2024-11-18", "filename")  # no usable date in the file
    assert texts(doc) == ["De brug gaat open.", "De aannemer is tevreden."]
    assert len(doc.warnings) == 1 and "2023-13-45" in doc.warnings[0] and "YYYY-MM-DD" in doc.warnings[0]


def test_no_metadata_means_the_file_date(tmp_path):
    path = tmp_path / "oud.txt"
    path.write_text("Het kabinet valt. Dat meldt de NOS.\n", encoding="utf-8")
    stamp = dt.datetime(2025, 10, 8, 12, 0).timestamp()
    os.utime(path, (stamp, stamp))
    doc = load(SourceFile(path, tmp_path, path.name))
    assert (doc.date, doc.date_source) == ("2025-10-08", "mtime") and doc.metadata == {}
    assert read_document(SourceFile(None, None, "stdin"), b"Het kabinet valt.\n").date is None


def test_yaml_front_matter(tmp_path):
    doc = read(
        tmp_path,
        "---\ntitle: Storm   trekt over het land\ndate: 2024-02-10\nsource: NOS\n"
        "url: https://example.org/storm\n---\n\nCode oranje geldt voor de kust.\n",
    )
    assert doc.title == "Storm trekt over het land"
    assert (doc.date, doc.date_source) == ("2024-02-10", "metadata")
    assert doc.metadata == {"source": "NOS", "url": "https://example.org/storm"}
    assert texts(doc) == ["Code oranje geldt voor de kust."]
    assert doc.warnings == []


def test_front_matter_closed_by_dots_and_quoted_date(tmp_path):
    doc = read(tmp_path, "---\ndate: '2024-02-10'\nauteur: Jan\n...\nCode oranje geldt voor de kust.\n")
    assert doc.date == "2024-02-10" and doc.metadata == {"auteur": "Jan"} and doc.title is None


def test_front_matter_bad_date_warns(tmp_path):
    doc = read(tmp_path, "---\ntitle: Storm\ndate: 10 februari\n---\nCode oranje geldt voor de kust.\n")
    assert (doc.date, doc.date_source) == ("2024-11-18", "filename")
    assert doc.warnings == ["front matter date '10 februari' is not a date; write it as YYYY-MM-DD"]


def test_front_matter_without_title_then_markdown_title(tmp_path):
    doc = read(tmp_path, "---\nsource: RTV Noord\n---\n# Storm in Groningen\n\nBomen zijn omgewaaid.\n")
    assert doc.title == "Storm in Groningen"
    assert texts(doc) == ["Bomen zijn omgewaaid."]


@pytest.mark.parametrize(
    "front",
    [
        "---\ntitle: [niet gesloten\n---\n",
        "---\n- een\n- lijst\n---\n",
        "---\ntitle: Storm\n",
        "---\ndate: 2024-13-45\n---\n",
    ],
)
def test_bad_front_matter_is_an_input_error(tmp_path, front):
    with pytest.raises(InputError) as err:
        read(tmp_path, front + "Code oranje geldt voor de kust.\n")
    assert err.value.reason.endswith("fix the YAML front matter")
    assert "\n" not in str(err.value)


def test_yaml_error_names_the_line(tmp_path):
    with pytest.raises(InputError) as err:
        read(tmp_path, "\n---\ntitle: Storm\nsource: [NOS\n---\nCode oranje.\n")
    # Line 4 of the file holds the unclosed "[NOS".
    assert "on line 4" in err.value.reason
    assert err.value.reason.endswith("fix the YAML front matter")


def test_metadata_without_text_is_refused(tmp_path):
    with pytest.raises(InputError, match="no text besides its metadata"):
        read(tmp_path, "---\ntitle: Alleen een titel\n---\n")
    with pytest.raises(InputError, match="no text besides its metadata"):
        read(tmp_path, " date 2024-01-01\n\n")


# --- title ----------------------------------------------------------------------------


def test_short_first_line_is_the_title(tmp_path):
    doc = read(tmp_path, "Boeren protesteren in Den Haag\nHonderden trekkers reden naar het Malieveld.\n")
    assert doc.title == "Boeren protesteren in Den Haag"
    assert texts(doc) == ["Honderden trekkers reden naar het Malieveld."]
    assert doc.units()[0] == Paragraph("Boeren protesteren in Den Haag", HEADING)


def test_markdown_title(tmp_path):
    doc = read(tmp_path, "# Boeren protesteren\nHonderden trekkers reden naar het Malieveld.\n")
    assert doc.title == "Boeren protesteren"


def test_one_line_file_has_no_title(tmp_path):
    doc = read(tmp_path, "Boeren protesteren in Den Haag\n")
    assert doc.title is None
    assert doc.paragraphs == [Paragraph("Boeren protesteren in Den Haag", HEADING)]


@pytest.mark.parametrize(
    "first",
    [
        "Boeren uit het hele land protesteren vandaag opnieuw met hun trekkers in het centrum van Den Haag",
        "Boeren protesteren in Den Haag.",
        "Boeren protesteren in Den Haag:",
        "“Wij gaan door tot het einde.”",
        "- Boeren protesteren",
        "## Boeren protesteren",
    ],
)
def test_first_lines_that_are_not_titles(tmp_path, first):
    doc = read(tmp_path, first + "\nHonderden trekkers reden naar het Malieveld.\n")
    assert doc.title is None
    assert len(doc.paragraphs) == 2


def test_first_wrapped_line_of_a_paragraph_is_not_a_title(tmp_path):
    doc = read(tmp_path, "Het kabinet heeft besloten om\nde belasting te verhogen.\n\nDat stuit op verzet.\n")
    assert doc.title is None
    assert texts(doc) == ["Het kabinet heeft besloten om de belasting te verhogen.", "Dat stuit op verzet."]


def test_title_as_own_paragraph_with_blank_lines(tmp_path):
    doc = read(tmp_path, "\nBelasting omhoog\n\nHet kabinet heeft besloten om\nde belasting te verhogen.\n")
    assert doc.title == "Belasting omhoog"
    assert texts(doc) == ["Het kabinet heeft besloten om de belasting te verhogen."]


# --- paragraphs ---------------------------------------------------------------------


def test_lines_without_blank_lines_are_paragraphs(tmp_path):
    doc = read(
        tmp_path,
        "Eerste alinea over de verkiezingen.\nUitslag per provincie\nTweede alinea, die langer is.\n",
    )
    assert doc.paragraphs == [
        Paragraph("Eerste alinea over de verkiezingen."),
        Paragraph("Uitslag per provincie", HEADING),
        Paragraph("Tweede alinea, die langer is."),
    ]


def test_blank_line_paragraphs_join_wrapped_lines_and_collapse_spaces(tmp_path):
    doc = read(
        tmp_path,
        "  De Tweede Kamer debatteerde\t\tgisteren   over de\nwoningnood in   Nederland.  \n\n\n"
        "Een meerderheid wil\nmeer sociale huur.\n",
    )
    assert texts(doc) == [
        "De Tweede Kamer debatteerde gisteren over de woningnood in Nederland.",
        "Een meerderheid wil meer sociale huur.",
    ]
    assert all(p.kind == TEXT for p in doc.paragraphs)


def test_list_items_with_markers_and_continuations(tmp_path):
    doc = read(
        tmp_path,
        "De maatregelen van het kabinet zijn:\n- hogere huurtoeslag\n* minder btw op groente,\n  "
        "fruit en brood\n• gratis kinderopvang\n– meer agenten\n1. eerste punt\n2) tweede punt\n"
        "a) laatste punt\n\nDe Kamer stemt volgende week.\n",
    )
    assert doc.paragraphs == [
        Paragraph("De maatregelen van het kabinet zijn:"),
        Paragraph("hogere huurtoeslag", ITEM, "- "),
        Paragraph("minder btw op groente, fruit en brood", ITEM, "* "),
        Paragraph("gratis kinderopvang", ITEM, "• "),
        Paragraph("meer agenten", ITEM, "– "),
        Paragraph("eerste punt", ITEM, "1. "),
        Paragraph("tweede punt", ITEM, "2) "),
        Paragraph("laatste punt", ITEM, "a) "),
        Paragraph("De Kamer stemt volgende week."),
    ]


def test_list_items_without_blank_lines(tmp_path):
    doc = read(tmp_path, "Dit zijn de punten.\n- eerste punt\n- tweede punt\nEn dat was het.\n")
    assert [(p.kind, p.marker, p.text) for p in doc.paragraphs] == [
        (TEXT, "", "Dit zijn de punten."),
        (ITEM, "- ", "eerste punt"),
        (ITEM, "- ", "tweede punt"),
        (TEXT, "", "En dat was het."),
    ]


def test_markdown_headings(tmp_path):
    doc = read(
        tmp_path,
        "Inleidende zin over het nieuws.\n\n## Reacties uit Brussel ##\nDe EU is blij.\n\n### Kort\n",
    )
    assert doc.paragraphs == [
        Paragraph("Inleidende zin over het nieuws."),
        Paragraph("Reacties uit Brussel", HEADING),
        Paragraph("De EU is blij."),
        Paragraph("Kort", HEADING),
    ]


def test_short_paragraph_kinds(tmp_path):
    doc = read(tmp_path, "Een zin.\n\nNieuwe regels voor\nscooters\n\nGeen punt hier\n\nWel een punt hier.\n")
    assert [p.kind for p in doc.paragraphs] == [TEXT, TEXT, HEADING, TEXT]


def test_no_character_of_the_body_is_lost(tmp_path):
    text = (
        "Gemeente sluit  zwembad\n\n"
        "Het zwembad in Zwolle gaat op 1 april dicht.\tDe kosten (ruim € 2 mln.)\n"
        "zijn “te hoog”, aldus de wethouder…\n\n"
        "Bewoners reageren:\n- “Jammer!” zegt Fatima (34).\n* Anderen zijn 100% tevreden;\n"
        "  zij zwemmen liever in de IJssel.\n1. Eén: ‘ja’\n\n"
        "Tussenkop met café\nTekst na de kop — met een gedachtestreepje & een ampersand.\n"
    )
    doc = read(tmp_path, text)
    seen = "".join([doc.title or ""] + [p.marker + p.text for p in doc.paragraphs])
    assert squeeze(seen) == squeeze(text)
    assert doc.title == "Gemeente sluit zwembad"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet="abcëéoO €.,:;!?“”‘’()*•–12)\n\t ", max_size=400))
def test_no_character_lost_for_any_layout(tmp_path, text):
    assume(text.strip())
    doc = read(tmp_path, text)
    seen = "".join([doc.title or ""] + [p.marker + p.text for p in doc.paragraphs])
    assert squeeze(seen) == squeeze(text)
    assert all(p.text and p.text == p.text.strip() and "  " not in p.text for p in doc.paragraphs)


def test_no_character_lost_in_date_line_article(tmp_path):
    doc = read(tmp_path, ARTICLE)
    assert squeeze("".join(texts(doc))) == squeeze(ARTICLE).removeprefix("date2024-11-18")


# --- discovery ----------------------------------------------------------------------


def make_tree(root: Path) -> None:
    # Created out of order so the test checks sorting, not creation order.
    for rel in [
        "zeta.md",
        "sub/deeper/d.txt",
        "sub/c.txt",
        "alpha.txt",
        "foto.png",
        "sub/notes.docx",
        "LUID.TXT",
        ".verborgen.txt",
        ".git/config.txt",
    ]:
        write(root, "Een zin.\n", rel)


def test_discovery_walks_nested_folders_in_sorted_order(tmp_path):
    make_tree(tmp_path / "in")
    found = discover([str(tmp_path / "in")], None, None, [])
    assert [f.rel for f in found.files] == [
        "LUID.TXT",
        "alpha.txt",
        "sub/c.txt",
        "sub/deeper/d.txt",
        "zeta.md",
    ]
    assert all(f.root == tmp_path / "in" and f.root / f.rel == f.path for f in found.files)
    assert found.problems == []
    assert (found.ignored_by_pattern, found.ignored_hidden) == (2, 2)
    assert found.notes() == [
        "2 files not matching *.txt, *.md, *.html, *.htm were ignored",
        "2 hidden files or folders (name starting with '.') were ignored",
    ]
    again = discover([str(tmp_path / "in")], None, None, [])
    assert again.files == found.files


def test_include_and_exclude(tmp_path):
    make_tree(tmp_path / "in")
    write(tmp_path / "in", "Concept.\n", "drafts/x.txt")
    found = discover([str(tmp_path / "in")], ["sub/*.txt", "*.md"], ["deeper", "./drafts/"], [])
    assert [f.rel for f in found.files] == ["sub/c.txt", "zeta.md"]
    # alpha.txt, foto.png, LUID.TXT, sub/notes.docx, and the pruned folders deeper/ and drafts/
    assert found.ignored_by_pattern == 6
    assert found.exclude == ("deeper", "drafts")
    assert found.notes() == [
        "6 files or folders not matching sub/*.txt, *.md or matching deeper, drafts were ignored",
        "2 hidden files or folders (name starting with '.') were ignored",
    ]
    by_name = discover([str(tmp_path / "in")], None, ["c.txt", "*/deeper/*"], [])
    assert [f.rel for f in by_name.files] == ["LUID.TXT", "alpha.txt", "drafts/x.txt", "zeta.md"]


def test_output_folder_inside_input_is_never_walked(tmp_path, monkeypatch):
    write(tmp_path / "in", "Bron.\n", "a.txt")
    write(tmp_path / "in", "Vertaling.\n", "out/a.txt")
    write(tmp_path / "in", "Vertaling.\n", "out/diep/b.md")
    monkeypatch.chdir(tmp_path)
    # Spelled differently from the walked path: compared after resolving.
    found = discover(["in"], None, None, [tmp_path / "in" / "." / "out"])
    assert [f.rel for f in found.files] == ["a.txt"]
    assert found.ignored_by_pattern == 0 and found.problems == []


def test_input_folder_that_is_the_output_folder_is_a_problem(tmp_path):
    write(tmp_path, "Bron.\n", "a.txt")
    found = discover([str(tmp_path)], None, None, [tmp_path])
    assert found.files == []
    assert [(p.reason, p.fix) for p in found.problems] == [
        ("is also the output folder", "write the output to another folder")
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loop_and_broken_link_are_problems(tmp_path):
    folder = tmp_path / "in"
    write(folder, "Goed stuk.\n", "goed.txt")
    (folder / "lus.txt").symlink_to(folder / "lus.txt")
    (folder / "kapot.txt").symlink_to(folder / "bestaat-niet.txt")
    (folder / "terug").symlink_to(folder, target_is_directory=True)  # a folder loop
    found = discover([str(folder), str(folder / "lus.txt"), str(folder / "kapot.txt")], None, None, [])
    assert [f.rel for f in found.files] == ["goed.txt"]
    assert found.ignored_links == 1
    reasons = {(p.path, p.reason) for p in found.problems}
    assert reasons == {
        (str(folder / "lus.txt"), "is a symbolic link loop; fix or remove the link"),
        (
            str(folder / "kapot.txt"),
            "is a broken symbolic link (its target does not exist); fix or remove the link",
        ),
    }
    assert len(found.problems) == 4  # each reached twice: in the walk and named directly
    assert any("symbolic link" in note for note in found.notes())


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_file_reached_through_a_link_is_taken_once(tmp_path):
    write(tmp_path, "Stuk.\n", "a.txt")
    (tmp_path / "alias.txt").symlink_to(tmp_path / "a.txt")
    found = discover([str(tmp_path)], None, None, [])
    assert [f.rel for f in found.files] == ["a.txt"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_pipe_inside_a_folder_is_a_problem(tmp_path):
    write(tmp_path, "Stuk.\n", "a.txt")
    os.mkfifo(tmp_path / "pijp.txt")
    found = discover([str(tmp_path)], None, None, [])
    assert [f.rel for f in found.files] == ["a.txt"]
    assert [(p.path, p.reason) for p in found.problems] == [
        (
            str(tmp_path / "pijp.txt"),
            "is not a regular file (a device, pipe or socket); remove it or exclude it",
        )
    ]


def test_missing_path_is_a_problem_not_an_exception(tmp_path):
    write(tmp_path, "Stuk.\n", "a.txt")
    found = discover([str(tmp_path / "weg.txt"), str(tmp_path / "a.txt")], None, None, [])
    assert [f.rel for f in found.files] == ["a.txt"]
    assert len(found.problems) == 1
    problem = found.problems[0]
    assert isinstance(problem, InputError)
    assert str(problem) == f"{tmp_path / 'weg.txt'}: no such file or folder; check the path"


def test_explicit_files_are_taken_whatever_their_name(tmp_path):
    write(tmp_path, "Stuk.\n", "artikel.tekst")
    write(tmp_path, "Stuk.\n", ".verborgen")
    found = discover(
        [str(tmp_path / "artikel.tekst"), str(tmp_path / ".verborgen")], ["*.md"], ["*.tekst"], []
    )
    assert found.files == [
        SourceFile(tmp_path / "artikel.tekst", tmp_path, "artikel.tekst"),
        SourceFile(tmp_path / ".verborgen", tmp_path, ".verborgen"),
    ]
    assert (found.ignored_by_pattern, found.ignored_hidden) == (0, 0)


def test_duplicates_and_stdin_are_taken_once(tmp_path):
    write(tmp_path / "in", "Stuk.\n", "a.txt")
    write(tmp_path / "in", "Stuk.\n", "b.txt")
    paths = [str(tmp_path / "in" / "b.txt"), "-", str(tmp_path / "in"), "-", str(tmp_path / "in" / "b.txt")]
    found = discover(paths, None, None, [])
    assert [(f.rel, f.root) for f in found.files] == [
        ("b.txt", tmp_path / "in"),
        ("stdin", None),
        ("a.txt", tmp_path / "in"),
    ]
    assert found.files[1] == SourceFile(None, None, "stdin")


def test_discovered_files_read_into_documents(tmp_path):
    write(tmp_path, ARTICLE, "nieuws/2024-11-18-fietsen.txt")
    write(tmp_path, "# Kop\nTekst.\n", "nieuws/kort.md")
    found = discover([str(tmp_path / "nieuws")], None, None, [])
    docs = [load(f) for f in found.files]
    assert [d.id for d in docs] == ["2024-11-18-fietsen.txt", "kort.md"]
    assert docs[0].date == "2024-11-18" and docs[1].title == "Kop"


def test_empty_discovery_has_no_notes():
    assert Discovery().notes() == []


# --- dates: metadata, else the file name, else the file's time (issue 10, item 5) -----------------

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "nieuws"


@pytest.mark.parametrize(
    "written",
    [
        "6-10-2025",
        "06-10-2025",
        "6/10/2025",
        "6.10.2025",
        "6 oktober 2025",
        "6 Oktober 2025",
        "6 okt. 2025",
        "6 okt 2025",
        "maandag 6 oktober 2025",
        "ma 6 okt. 2025",
        "6 oktober 2025 14.30 uur",
        "2025-10-06",
        "2025-10-06T14:30:00+02:00",
    ],
)
def test_dutch_date_forms_are_read_in_the_date_line_and_the_front_matter(tmp_path, written):
    for text in (
        f"date {written} Het gemaal draait op volle kracht.\nDe polder blijft droog.\n",
        f"---\ndate: {written}\n---\nHet gemaal draait op volle kracht.\n",
    ):
        doc = read(tmp_path, text, "gemaal.txt")
        assert (doc.date, doc.date_source) == ("2025-10-06", "metadata"), text
        assert texts(doc)[0] == "Het gemaal draait op volle kracht." and doc.warnings == []


@pytest.mark.parametrize("written", ["31-02-2025", "31 februari 2025", "6 oktober"])
def test_a_date_that_is_no_day_warns_and_falls_back_to_the_file_name(tmp_path, written):
    doc = read(tmp_path, f"---\ndate: {written}\n---\nHet gemaal draait.\n", "2025-10-09-gemaal.txt")
    assert (doc.date, doc.date_source) == ("2025-10-09", "filename")
    assert len(doc.warnings) == 1 and written in doc.warnings[0]


def test_a_leading_date_in_the_file_name_comes_before_the_file_time(tmp_path):
    path = write(tmp_path, "Het gemaal draait op volle kracht.\n", "2025-10-08-gemaal.txt")
    stamp = dt.datetime(2030, 1, 2, 12, 0).timestamp()
    os.utime(path, (stamp, stamp))
    doc = load(SourceFile(path, tmp_path, path.name))
    assert (doc.date, doc.date_source, doc.warnings) == ("2025-10-08", "filename", [])
    # the metadata's date wins over the name's
    path.write_text("date 6 oktober 2025 Het gemaal draait.\n", encoding="utf-8")
    assert load(SourceFile(path, tmp_path, path.name)).date == "2025-10-06"
    # only a leading, real date counts
    for name in ("gemaal-2025-10-08.txt", "2025-13-08-gemaal.txt", "20251008-gemaal.txt"):
        other = write(tmp_path, "Het gemaal draait.\n", name)
        os.utime(other, (stamp, stamp))
        assert load(SourceFile(other, tmp_path, name)).date_source == "mtime", name


def test_the_file_time_is_used_only_with_a_warning_that_names_the_fix(tmp_path):
    path = write(tmp_path, "Het gemaal draait op volle kracht.\n", "gemaal.txt")
    stamp = dt.datetime(2025, 10, 8, 12, 0).timestamp()
    os.utime(path, (stamp, stamp))
    doc = load(SourceFile(path, tmp_path, path.name))
    assert (doc.date, doc.date_source) == ("2025-10-08", "mtime")
    [warning] = doc.warnings
    assert "2025-10-08" in warning and "modification time" in warning and "date YYYY-MM-DD" in warning


def test_the_examples_keep_their_days_after_a_copy_resets_their_file_times(tmp_path):
    copy = tmp_path / "nieuws"
    shutil.copytree(EXAMPLES, copy)
    for path in copy.iterdir():
        path.touch()  # what a clone, copy or unzip does
    docs = {f.rel: load(f) for f in discover([str(copy)], None, None, []).files}
    assert len(docs) == 15
    for name, doc in docs.items():
        assert doc.date == name[:10] and doc.date_source in ("metadata", "filename"), name
        assert not any("modification time" in w for w in doc.warnings), name
    begroting = docs["2025-10-08-begroting-maaswijk.txt"]
    assert (begroting.date, begroting.date_source) == ("2025-10-08", "filename")
