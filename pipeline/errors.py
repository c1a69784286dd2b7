"""The errors nlbrief raises for problems a user can fix.

The CLI is the one place that turns these into messages and exit codes; everything
else raises them with a message that names the fix.
"""

from __future__ import annotations


class NlbriefError(Exception):
    """Base class: a problem the user can act on. ``str(err)`` is the one-line message."""

    exit_code = 1


class UsageError(NlbriefError):
    """Bad option values or combinations."""

    exit_code = 2


class InputError(NlbriefError):
    """An input file that cannot be read or used (empty, binary, missing, not Dutch...)."""

    def __init__(self, path: str, message: str, fix: str = "") -> None:
        # `fix` is advice for whoever runs nlbrief (an option to pass, a command to use): stderr and
        # the manifest show it after the message; a page for readers shows only `reason`.
        # "-" is how stdin is named on the command line; "-: is empty" would puzzle anyone.
        named = f"stdin {message}" if path == "-" else f"{path}: {message}"
        super().__init__(named + (f"; {fix}" if fix else ""))
        self.path = path
        self.reason = message
        self.fix = fix


class FetchError(NlbriefError):
    """A feed or page that could not be fetched or used (refused by the safety rules, robots.txt, an
    HTTP error, a timeout, not a feed...): it fails alone; the other sources go on."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class ModelError(NlbriefError):
    """A model that cannot be found, downloaded or loaded."""

    exit_code = 3


class ModelNotAvailable(ModelError):
    """Neither cached locally nor downloadable right now."""


class UnknownChoiceError(UsageError):
    """A name looked up in a registry that does not hold it."""

    def __init__(self, kind: str, name: str, valid: list[str] | tuple[str, ...]) -> None:
        choices = ", ".join(sorted(valid))
        super().__init__(f"unknown {kind} {name!r}; choose one of: {choices}")
        self.name = name
        self.valid = tuple(valid)


class OutputError(NlbriefError):
    """An output that cannot be written (permissions, disk full, unsafe path)."""

    exit_code = 4


class TemplateError(UsageError):
    """A template (a prompt, a briefing page) that cannot be found, read or rendered."""


class BusyError(NlbriefError):
    """Another nlbrief run holds the output folder."""

    exit_code = 5


class Interrupted(NlbriefError):
    """The user asked the run to stop (Ctrl-C); what was finished is saved."""

    exit_code = 130

    def __init__(self, message: str = "interrupted; rerun the same command to finish") -> None:
        super().__init__(message)
