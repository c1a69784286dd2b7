"""The run manifest, the up-to-date check for resume, and every cache key with what enters it.

A rerun tells finished work from unfinished work by looking at the disk: ``manifest.jsonl`` says
how each output was made, and an output is redone only when its input, its settings or the file
itself changed since.

Every key that decides whether earlier work is reused is listed here, with what enters it; the
schema and version constants are the ones below, so bumping one redoes exactly what its row says.

=====================  ==============================================  ===============================
key (made by)          what enters it                                  what it decides
=====================  ==============================================  ===============================
output fingerprint     ``schema`` = OUTPUT_SCHEMA, ``render`` =        whether a batch run's output is
(output_fingerprint)   RENDER_VERSION, and the stage's                 up to date (run/batch.py)
                       ``fingerprint_fields()``: translator and
                       translator_revision, backend, compute_type
                       (not for torch), beams, length_ratio,
                       length_margin, format (translate); the
                       summarizer's fields (below); ``stage``
                       (process, summarize)
summarizer fields      summarizer, summarizer_revision, quantize,      part of the output fingerprint
(stages/process.py)    bullets, context_tokens, ``prompts`` =          and of the briefing's
                       templates_digest of the article prompts
translation            the translator's ``fingerprint_fields()``       which earlier translations
fingerprint            (as above, without format), through             ``process`` may reuse
(fingerprint)          fingerprint()
briefing fingerprint   ``schema`` = BRIEFING_SCHEMA, period, the       whether a briefing is up to
(stages/brief.py)      sha256 of each article record, the missing      date (no model loaded)
                       articles, the summarizer fields, ``overview``
                       = templates_digest of the overview prompt,
                       threshold, ``templates`` = the digest of the
                       page templates in use; through fingerprint()
translation memory     ``memory_schema`` = MEMORY_SCHEMA, the          which remembered sentences a
namespace              translator's ``fingerprint_fields()`` and       translator looks up
(memory_namespace)     ``schema`` = OUTPUT_SCHEMA
prompts digest         each template's name, system, prompt,           part of the summarizer fields
(templates_digest)     max_new_tokens, max_new_tokens_per              and of the briefing's
CT2 conversion folder  the model folder's resolved path, its           which converted CTranslate2
(conversion_key)       revision, the ctranslate2 version; the          model is reused
                       compute type names the folder
local model revision   each file's name, size and mtime, and the       the ``*_revision`` of a model
(models/locate.py      contents of its small .json files               given as a folder (a hub
folder_revision)                                                       model's is its commit)
=====================  ==============================================  ===============================

The fingerprints and the memory namespace are sha256 digests of canonical JSON (sorted keys, compact),
16 hex digits (the namespace 32); the prompts digest, the CT2 folder and a folder's revision hash their
fields joined by NUL, 16 hex digits.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

from pipeline.errors import OutputError, UsageError
from pipeline.run.contracts import Status
from pipeline.run.files import atomic_write_text, safe_output_path, sha256_file

# Output records change shape rarely; bumping this redoes every output once (and starts a new
# translation memory namespace). 2: the checks (findings per sentence, bullet and headline).
OUTPUT_SCHEMA = 2
# How outputs are written out (escaping, layout): bumping it rewrites outputs, keeping the memory.
# 2: Markdown pages escape inline syntax and bidi controls.
RENDER_VERSION = 2
# 2: bidi controls in article and model text are shown as U+FFFD.
# 3: each source of a story has its own headline, the story says whose bullets it shows
#    (bullets_from), and the articles that could not be processed are listed (missing).
# 4: each story names its distinct outlets (outlets, sources_without_outlet); the pages come from
#    templates, whose digest the fingerprint holds.
BRIEFING_SCHEMA = 4
# The translation memory's database format (its PRAGMA user_version); a database from a newer
# nlbrief is left alone. 2: each sentence keeps its checks (findings and both tries).
MEMORY_SCHEMA = 2
# The faithfulness checks (pipeline/checks): bumping it re-checks every output once, and a remembered
# sentence checked by an older version is checked again as it is read (its model's signs kept).
CHECKS_VERSION = 1


def fingerprint(settings: Mapping[str, Any]) -> str:
    """A short stable digest of everything that changes an output (model, revision, decoding...)."""
    canonical = json.dumps(settings, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def output_fingerprint(stage_fields: Mapping[str, Any]) -> str:
    """The fingerprint a batch run's manifest line records, from its stage's ``fingerprint_fields()``."""
    return fingerprint(
        {"schema": OUTPUT_SCHEMA, "render": RENDER_VERSION, "checks": CHECKS_VERSION, **stage_fields}
    )


def memory_namespace(fields: Mapping[str, Any]) -> str:
    """The translation memory's namespace for a translator's ``fields`` (see the table above)."""
    described = {"memory_schema": MEMORY_SCHEMA, **fields}
    canonical = json.dumps(described, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


class PromptTemplate(Protocol):
    """What of a prompt template (pipeline/summarize/templates.py) changes what a model is asked."""

    @property
    def system(self) -> str | None: ...
    @property
    def prompt(self) -> str: ...
    @property
    def max_new_tokens(self) -> int: ...
    @property
    def max_new_tokens_per(self) -> str | None: ...


def templates_digest(templates: Mapping[str, PromptTemplate]) -> str:
    """Changes whenever an edited prompt would change what the model is asked."""
    digest = hashlib.sha256()
    for name in sorted(templates):
        t = templates[name]
        digest.update(
            f"{name}\0{t.system or ''}\0{t.prompt}\0{t.max_new_tokens}\0{t.max_new_tokens_per}\n".encode()
        )
    return digest.hexdigest()[:16]


def conversion_key(model_path: Path, revision: str, engine_version: str, compute_type: str) -> str:
    """The folder name of a model converted for CTranslate2 ``engine_version`` at ``compute_type``."""
    key = f"{model_path.resolve()}\0{revision}\0{engine_version}"
    return f"{hashlib.sha256(key.encode()).hexdigest()[:16]}-{compute_type}"


class Manifest:
    """``manifest.jsonl``: one JSON line per input, saying how its output was made.

    During a run each finished input's line is appended and fsynced (a kill loses nothing
    finished); at the end of a run ``compact()`` keeps only the newest line per input. A line
    torn by a kill is ignored on reading, so the manifest never blocks a rerun.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as handle:
                handle.write(line)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as err:
            raise OutputError(f"cannot append to {self.path}: {err.strerror or err}") from err

    def records(self) -> Iterator[dict[str, Any]]:
        yield from _parse_lines(self._text())

    def _text(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def compact(self) -> int:
        """Rewrite the manifest with one line per input: its newest. Returns the lines kept.

        A line stands for its input (``source``, else ``input``) and for its output; a newer line
        for either replaces it, so a renamed input or a retried failure leaves one line. A failed
        line wrote nothing, so it keeps the ``outputs`` of the line it replaces: those files are
        still as nlbrief wrote them, and a hand edit of them is still told apart.
        """
        text = self._text()
        kept: dict[int, dict[str, Any]] = {}
        owner: dict[tuple[str, str], int] = {}
        for number, record in enumerate(_parse_lines(text)):
            keys = [("in", str(record.get("source") or record.get("input") or ""))]
            if record.get("output"):
                keys.append(("out", str(record["output"])))
            for key in keys:
                if key[1] and key in owner:
                    replaced = kept.pop(owner[key], None)
                    if replaced and replaced.get("outputs") and not record.get("outputs"):
                        record = {**record, "outputs": replaced["outputs"]}
            for key in keys:
                owner[key] = number
            kept[number] = record
        lines = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in kept.values())
        if lines != text:  # an up-to-date rerun changes nothing, so it writes nothing
            atomic_write_text(self.path, lines)
        return len(kept)

    def commands(self) -> set[str]:
        """The commands whose outputs this folder holds."""
        return {command for record in self.records() if (command := command_of(record))}

    def written(self) -> dict[str, str]:
        """The sha256 of each output as nlbrief last wrote it."""
        hashes: dict[str, str] = {}
        for record in self.records():
            if isinstance(outputs := record.get("outputs"), dict):
                hashes.update({str(path): str(digest) for path, digest in outputs.items()})
        return hashes

    def latest_ok(self) -> dict[str, dict[str, Any]]:
        """The newest successful record per output path (the same however the input was named)."""
        latest: dict[str, dict[str, Any]] = {}
        for record in self.records():
            if record.get("status") == Status.OK and record.get("output"):
                latest[str(record["output"])] = record
        return latest


def _parse_lines(text: str) -> Iterator[dict[str, Any]]:
    # Only \n ends a line: JSON keeps U+0085 and U+2028 raw, and splitlines() would cut there.
    for line in text.split("\n"):
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            yield record


def command_of(record: dict[str, Any]) -> str | None:
    """The command that wrote a manifest line. Lines from before the ``command`` field are told
    by their provenance: only process records name both models, only translations no summarizer."""
    if record.get("command"):
        return str(record["command"])
    if "summarizer_model" in record:
        return "process" if "model" in record else "summarize"
    return "translate" if "model" in record else None


def refuse_other_command(manifest: Manifest, command: str, folder: Path) -> None:
    """Two commands in one folder would overwrite each other's files (``translate --format md``
    and ``process`` both write NAME.md) and replace each other's manifest lines, so that
    alternating them redoes everything: a folder belongs to the first command that wrote it."""
    others = sorted(manifest.commands() - {command})
    if others:
        raise UsageError(f"{folder} holds `nlbrief {others[0]}` outputs; choose another -o folder")


def hand_edited(written: dict[str, str], outputs: list[Path]) -> list[Path]:
    """The ``outputs`` that exist but differ from what nlbrief recorded writing (``written``, from
    Manifest.written). nlbrief's own writes are atomic, so such a file was changed since by
    someone else: it is not ours to replace without --force."""
    edited = []
    for path in outputs:
        recorded = written.get(str(path))
        current = sha256_file(path) if recorded else None
        if current is not None and current != recorded:
            edited.append(path)
    return edited


def is_up_to_date(
    previous: dict[str, Any] | None,
    *,
    sha256: str,
    fingerprint: str,
    outputs: list[Path],
    edited: list[Path] | None = None,
) -> bool:
    """True when ``previous`` made all ``outputs`` from the same content and settings, and each is
    still exactly as written (not deleted or changed since), or is one of the ``edited`` ones
    (changed by hand, which is kept)."""
    if not previous:
        return False
    if previous.get("sha256") != sha256 or previous.get("fingerprint") != fingerprint:
        return False
    recorded = previous.get("outputs") or {}
    if set(recorded) != {str(p) for p in outputs}:
        return False
    kept = set(edited or ())
    return all(path in kept or sha256_file(path) == recorded[str(path)] for path in outputs)


def plan_outputs(
    rels: list[tuple[str, str]], out_dir: Path, suffixes: tuple[str, ...]
) -> list[list[Path] | OutputError]:
    """Output paths mirroring the inputs' relative paths under ``out_dir``: per input, one path per
    suffix (the first suffix names the primary output), no clashes between inputs.

    ``rels`` holds (root, relative path) per input, in argument order: the root is the folder the
    path is relative to (a walked folder, a named file's parent). Every input's name is its
    relative path at the top of ``out_dir``, however many inputs were given, so adding an input
    never moves another's outputs. Only a name that an earlier root already has goes under its
    own root's name (``day2/a.txt`` after ``day1``'s ``a.txt``). A clash within a root (``a.txt``
    and ``a.md`` both becoming ``a.txt``) keeps the original suffix in the name (``a.md.txt``),
    then numbers. An input any of whose paths would land outside ``out_dir`` (through a link
    planted there) gets an OutputError in its place, for it alone to fail.
    """
    suffix = suffixes[0]
    first_root: dict[str, str] = {}
    wanted: list[tuple[str, str]] = []  # (prefix, name) per input
    for root, rel in rels:
        name = Path(rel).with_suffix(suffix).as_posix()
        prefix = Path(root).name if first_root.setdefault(name, root) != root else ""
        wanted.append((prefix, Path(prefix, name).as_posix()))
    counts: dict[str, int] = {}
    for _, name in wanted:
        counts[name] = counts.get(name, 0) + 1
    taken: set[str] = set()
    result: list[list[Path] | OutputError] = []
    for (_, rel), (prefix, name) in zip(rels, wanted, strict=True):
        if counts[name] > 1 and Path(rel).suffix and Path(rel).suffix != suffix:
            name = Path(prefix, rel + suffix).as_posix()
        base, number = name, 2
        while name in taken:
            name = f"{base[: -len(suffix)]}-{number}{suffix}"
            number += 1
        taken.add(name)
        try:
            result.append([safe_output_path(out_dir, name[: -len(suffix)] + other) for other in suffixes])
        except OutputError as err:
            result.append(err)
    return result
