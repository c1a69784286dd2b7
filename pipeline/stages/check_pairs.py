"""``nlbrief check pairs FILE``: pairs a user already has, each output held against its source.

A file of pairs is JSON lines (``{"id": ..., "source": ..., "output": ..., "source_lang": "nl"}``) or a
TSV of two columns (source, output; the id is the line number), told apart by its first line, not its
name (stdin has none). ``source_lang`` picks the check: ``nl`` (the default), a Dutch sentence or text
and its English translation, facts checked both ways as the translator checks its own output (and the
glossary's terms); ``en``, an English article and a summary of it, whose every fact must be in the
article. A malformed line is one error line and the others are still checked.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from pipeline.checks.compare import unsupported
from pipeline.checks.findings import Finding, flagged
from pipeline.checks.glossary import Glossary
from pipeline.checks.sentence import check_sentence
from pipeline.errors import InputError
from pipeline.ingest.discover import SourceFile
from pipeline.ingest.reading import read_input
from pipeline.stages.check_report import CheckRequest, Tally, finding_line, shortened

JSON_FIX = 'write one JSON object a line: {"id": 1, "source": "...", "output": "..."}'
TSV_FIX = "write the source, a TAB, then the output, one pair a line"


@dataclass(frozen=True, kw_only=True)
class Pair:
    id: str | int
    source: str
    output: str
    source_lang: str = "nl"
    line: int = 0  # its line in the file


class MalformedLine(ValueError):
    """A line that is not a pair: what is wrong with it, and how to write one."""

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(f"{problem}; {fix}")


# --- what each kind of pair is checked with -------------------------------------------------------------


def _translation(pair: Pair, glossary: Glossary | None) -> list[Finding]:
    # A pair carries no model output, so only what its text shows: the facts, the names, length, loops.
    glossed = glossary.check(pair.source, pair.output) if glossary else []
    return [*check_sentence(pair.source, pair.output), *glossed]


def _summary(pair: Pair, glossary: Glossary | None) -> list[Finding]:
    # The glossary is of Dutch terms: an English article has none to render.
    return unsupported(pair.output, [(pair.source, "en")])


SOURCE_LANGS: dict[str, Callable[[Pair, Glossary | None], list[Finding]]] = {
    "nl": _translation,  # a Dutch source and its English translation
    "en": _summary,  # an English article and a summary of it
}


def check_pair(pair: Pair, glossary: Glossary | None = None) -> list[Finding]:
    """The findings of one pair, by the check its ``source_lang`` names."""
    return SOURCE_LANGS[pair.source_lang](pair, glossary)


# --- the two file formats ---------------------------------------------------------------------------------


def _json_pair(line: str, number: int) -> Pair:
    try:
        data = json.loads(line)
    except ValueError as err:
        raise MalformedLine(f"not JSON ({err})", JSON_FIX) from None
    if not isinstance(data, dict):
        raise MalformedLine("not a JSON object", JSON_FIX)
    missing = [key for key in ("id", "source", "output") if key not in data]
    if missing:
        raise MalformedLine(f"no {' and no '.join(map(repr, missing))}", JSON_FIX)
    if isinstance(data["id"], bool) or not isinstance(data["id"], str | int):
        raise MalformedLine("its 'id' is not a text or a whole number", JSON_FIX)
    for key in ("source", "output"):
        if not isinstance(data[key], str):
            raise MalformedLine(f"its {key!r} is not a text", JSON_FIX)
    lang = data.get("source_lang", "nl")
    if lang not in SOURCE_LANGS:
        raise MalformedLine(
            f"its 'source_lang' is {lang!r}",
            "use nl (a Dutch source and its English translation, the default) or en (an English "
            "article and a summary of it)",
        )
    return Pair(id=data["id"], source=data["source"], output=data["output"], source_lang=lang, line=number)


def _tsv_pair(line: str, number: int) -> Pair:
    columns = line.split("\t")
    if len(columns) != 2:
        raise MalformedLine(f"{len(columns)} TAB-separated columns, not 2", TSV_FIX)
    return Pair(id=number, source=columns[0], output=columns[1], line=number)


@dataclass(frozen=True)
class PairFormat:
    looks_like: Callable[[str], bool]  # does the file's first line read as this format?
    parse: Callable[[str, int], Pair]  # a line and its number -> a Pair, or MalformedLine
    header: Callable[[str], bool] = lambda line: False  # a first line of column names, skipped


# In the order they are tried on the first line: a JSON line starts with "{", a TSV line has a TAB.
FORMATS: dict[str, PairFormat] = {
    "JSON lines": PairFormat(lambda line: line.lstrip().startswith("{"), _json_pair),
    "TSV": PairFormat(
        lambda line: "\t" in line,
        _tsv_pair,
        lambda line: [c.strip().casefold() for c in line.split("\t")] == ["source", "output"],
    ),
}


def pair_format(first_line: str, name: str) -> PairFormat:
    """The format whose look the first line has; InputError naming the file when none has."""
    for fmt in FORMATS.values():
        if fmt.looks_like(first_line):
            return fmt
    raise InputError(
        name,
        "is neither JSON lines nor a TSV of two columns (its first line has no '{' and no TAB)",
        f"{JSON_FIX}, or {TSV_FIX}",
    )


def read_pairs_text(path: str, max_file_size: int) -> str:
    """The text of a pairs file (or stdin, for "-"), read with the size limit of every input; InputError
    for a folder, a file that is not UTF-8, or one without a pair."""
    if path != "-" and Path(path).is_dir():  # read_input's advice (a .txt or .md file) is not for pairs
        raise InputError(path, "is a folder", f"check an output folder with: nlbrief check {path}")
    file = Path(path)
    source = SourceFile(None, None, "stdin") if path == "-" else SourceFile(file, file.parent, path)
    data = read_input(source, max_file_size)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise InputError(path, f"is not UTF-8 text (line {line})", "save it as UTF-8") from None
    if not text.strip():
        raise InputError(path, "is empty", f"{JSON_FIX}, or {TSV_FIX}")
    return text


def pairs_in(text: str, name: str) -> list[Pair | InputError]:
    """Each pair of the file, or in its place the error of its malformed line (naming the file and the
    line). Only \\n ends a line: JSON keeps U+2028 raw, which str.splitlines() would cut at."""
    lines = [(n, line.rstrip("\r")) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]
    if not lines:
        return []
    fmt = pair_format(lines[0][1], name)
    if fmt.header(lines[0][1]):
        lines = lines[1:]
    found: list[Pair | InputError] = []
    for number, line in lines:
        try:
            found.append(fmt.parse(line, number))
        except MalformedLine as err:
            found.append(InputError(f"{name}, line {number}", str(err)))
    return found


# --- the report ------------------------------------------------------------------------------------------


def pair_json(pair: Pair, findings: list[Finding]) -> dict[str, object]:
    """A pair's line of ``--json``: its id, whether a warning flags it, and its findings."""
    return {
        "id": pair.id,
        "flagged": flagged(findings),
        "findings": [
            {"kind": f.kind.value, "severity": f.severity.value, "text": f.text, "message": f.message}
            for f in findings
        ],
    }


def pair_lines(pair: Pair, findings: list[Finding]) -> list[str]:
    """A pair of the text report: where it is, its two texts (shortened) and its findings."""
    if not findings:
        return []
    named = f"line {pair.line}" + ("" if pair.id == pair.line else f" (id {json.dumps(pair.id)})")
    state = "flagged" if flagged(findings) else "notes only"
    return [
        f"{named}: {state}",
        f"  {pair.source_lang}: {shortened(pair.source)}",
        f"  {'en' if pair.source_lang == 'nl' else 'summary'}: {shortened(pair.output)}",
        *(finding_line(f, placed=False) for f in findings),
    ]


def check_pairs(path: str, request: CheckRequest, glossary: Glossary | None, out: TextIO, err: TextIO) -> int:
    """``nlbrief check pairs FILE``: each pair checked and reported, then the summary line; the exit
    status (1 for a malformed line, or a flagged pair with ``--fail-on warning``)."""
    name = "stdin" if path == "-" else path
    tally = Tally("pair")
    for item in pairs_in(read_pairs_text(path, request.max_file_size), name):
        if isinstance(item, InputError):
            err.write(f"error: {item}\n")
            tally.errors += 1
            continue
        findings = check_pair(item, glossary)
        tally.add(findings)
        if request.json:
            out.write(json.dumps(pair_json(item, findings), ensure_ascii=False) + "\n")
        else:
            out.writelines(line + "\n" for line in pair_lines(item, findings))
    # The summary line is for people: with --json, stdout holds only the pairs' objects.
    (err if request.json else out).write(tally.line() + "\n")
    return tally.exit_status(request.fail_on)
