"""``nlbrief check DIR``: every output under a folder checked again (stages/check_records.py), reported,
and counted.

Outputs are told by their content, not the manifest: a folder may be copied without it, and the paths in
it are absolute. The manifest only helps say why a folder holds nothing to check.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from pipeline.checks.glossary import Glossary
from pipeline.errors import InputError, UsageError
from pipeline.run.manifest import Manifest
from pipeline.stages.check_records import check_output
from pipeline.stages.check_report import CheckRequest, Tally
from pipeline.text.plural import counted


def _json_files(folder: Path) -> list[Path]:
    """The JSON files under ``folder``, in order; hidden ones (a write's temp files) left out."""
    return sorted(
        p
        for p in folder.rglob("*.json")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def _refuse_non_folder(folder: Path) -> None:
    if folder.is_file():
        raise UsageError(
            f"{folder} is a file, not an output folder; check a file of pairs with: "
            f"nlbrief check pairs {folder}"
        )
    if not folder.is_dir():
        raise UsageError(
            f"{folder}: no such folder; give the output folder (-o) of nlbrief process or nlbrief "
            "translate --format json, or check a file of pairs with: nlbrief check pairs FILE"
        )


def _nothing_to_check(folder: Path) -> UsageError:
    if "translate" in Manifest(folder / "manifest.jsonl").commands():
        return UsageError(
            f"{folder} holds nlbrief translate outputs without their sentences; translate with "
            "--format json to check them"
        )
    return UsageError(
        f"{folder} holds no nlbrief records; give the output folder (-o) of nlbrief process, or of "
        "nlbrief translate --format json"
    )


def check_folder(
    target: str, request: CheckRequest, glossary: Glossary | None, out: TextIO, err: TextIO
) -> int:
    """``nlbrief check DIR``: each output checked again and reported, then the summary line; the exit
    status (1 for an unreadable record, or a flagged article with ``--fail-on warning``)."""
    folder = Path(target)
    _refuse_non_folder(folder)
    tally, changed, summarized, skipped = Tally("article"), 0, 0, []
    for path in _json_files(folder):
        try:
            result = check_output(path, glossary)
        except InputError as error:
            err.write(f"error: {error}\n")
            tally.errors += 1
            continue
        if result is None:
            skipped.append(path.name)
            continue
        tally.add(result.findings)
        changed += result.changed
        summarized += not result.rechecked
        if request.json:
            out.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
        else:
            out.writelines(line + "\n" for line in result.lines())
    if not tally.checked and not tally.errors:
        raise _nothing_to_check(folder)
    if skipped:
        named = ", ".join(skipped[:3]) + (", ..." if len(skipped) > 3 else "")
        err.write(
            f"note: {counted(len(skipped), 'JSON file')} of {folder} not nlbrief records, left out: {named}\n"
        )
    extra = []
    if changed:
        extra.append(f"{counted(changed, 'article')} where the checks now differ from the record")
    if summarized:
        extra.append(f"{counted(summarized, 'summarize record')} not checked again (no source text)")
    (err if request.json else out).write(tally.line(extra, "unreadable record") + "\n")
    return tally.exit_status(request.fail_on)
