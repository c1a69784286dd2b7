"""``nlbrief check``: the facts of translations and summaries checked, without a model.

Two forms, told apart by the first word: ``check pairs FILE`` checks pairs a user already has
(stages/check_pairs.py); ``check DIR`` checks again the outputs of an earlier run (the folder in
stages/check_folder.py, each output in stages/check_records.py). Both print a report (or a JSON object
per item), then a summary line, and give the same exit status: 0 when the check ran, whatever it found;
1 when an input could not be checked or, with ``--fail-on warning``, when one was flagged. Usage errors
are raised before any input is read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from pipeline.checks.glossary import Glossary
from pipeline.errors import UsageError
from pipeline.stages.check_folder import check_folder
from pipeline.stages.check_pairs import check_pairs
from pipeline.stages.check_report import CheckRequest, fail_on_choice

Form = Callable[[str, CheckRequest, Glossary | None, TextIO, TextIO], int]
FORMS = "nlbrief check pairs FILE (- for stdin), or nlbrief check DIR (the output folder of an earlier run)"


def target_form(targets: list[str]) -> tuple[Form, str]:
    """The form the targets ask for, and its one target; UsageError when they ask for neither."""
    if len(targets) == 2 and targets[0] == "pairs":
        return check_pairs, targets[1]
    # A folder that happens to be called "pairs" is still a folder.
    if len(targets) == 1 and (targets[0] != "pairs" or Path("pairs").is_dir()):
        return check_folder, targets[0]
    if targets and targets[0] == "pairs":
        raise UsageError(f"check pairs takes one FILE; write {FORMS}")
    raise UsageError(f"check takes one folder or `pairs FILE`, not {' '.join(targets)!r}; write {FORMS}")


def run_check(request: CheckRequest, out: TextIO, err: TextIO) -> int:
    """``nlbrief check`` as asked: the report on ``out``, errors on ``err``; the exit status."""
    fail_on_choice(request.fail_on)
    form, target = target_form(request.targets)
    glossary = Glossary.load(request.glossary) if request.glossary else None
    return form(target, request, glossary, out, err)
