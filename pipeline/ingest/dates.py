"""An article's date: from its metadata, else its file name, else (with a warning) its file's time.

Metadata dates may be written the ways Dutch newsrooms write them: ISO (``2025-10-06``), numeric
day-month-year (``6-10-2025``, ``06-10-2025``, ``6/10/2025``, ``6.10.2025``) or with a month name,
full or abbreviated, with or without a weekday (``6 oktober 2025``, ``6 okt. 2025``, ``maandag 6
oktober 2025``), optionally followed by a time (``14:30``, ``14.30 uur``). Numeric dates are always
day first, as in Dutch. A date without a year (``10 februari``) is not a date: the year cannot be
guessed. A small table of month names does this; dateparser or babel would bring a large dependency
(and, for dateparser, a slow import and guessing of the day-month order) for twelve names.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pipeline.ingest.document import DateSource

_MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "febr": 2, "maart": 3, "mrt": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8,
    "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = "maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|ma|di|wo|do|vr|za|zo"
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))  # longest first: "sept" before "sep"
_TIME = r"(?:,?\s+(?:om\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*uur)?)?"
# The date-like part of a value: syntax only; whether the day exists is checked after.
DATE_PATTERN = re.compile(
    r"(?:(?:" + _WEEKDAYS + r")\.?,?\s+)?"
    r"(?:(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
    r"(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|(?P<nd>\d{1,2})(?P<sep>[-/.])(?P<nm>\d{1,2})(?P=sep)(?P<ny>\d{4})"
    r"|(?P<wd>\d{1,2})\s+(?P<wm>" + _MONTH_NAMES + r")\.?\s+(?P<wy>\d{4}))" + _TIME,
    re.IGNORECASE,
)
_FILE_DATE_WARNING = "no date in the file or its name: dated"
_FILENAME_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?!\d)")


def parse_date(value: str) -> str | None:
    """The ISO date (YYYY-MM-DD) that ``value``, all of it, writes; None when it writes none."""
    match = DATE_PATTERN.fullmatch(value.strip())
    return match_to_iso(match) if match else None


def match_to_iso(match: re.Match[str]) -> str | None:
    """The ISO date of a DATE_PATTERN match, or None for a day that does not exist (2025-13-45)."""
    if match["iy"]:
        year, month, day = match["iy"], match["im"], match["id"]
    elif match["ny"]:
        year, month, day = match["ny"], match["nm"], match["nd"]
    else:
        year, month, day = match["wy"], str(_MONTHS[match["wm"].lower()]), match["wd"]
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def filename_date(path: Path) -> str | None:
    """The date a file's name starts with (``2025-10-08-begroting.txt``), if it is a real day."""
    match = _FILENAME_DATE.match(path.name)
    if not match:
        return None
    try:
        return dt.date(*map(int, match.groups())).isoformat()
    except ValueError:
        return None


def date_of_file(path: Path | None, metadata_date: str | None) -> tuple[str | None, DateSource, list[str]]:
    """(date, where it came from, warnings): the metadata's date, else a leading YYYY-MM-DD in the file
    name, else the file's modification time, with a warning, since every copy resets that."""
    if metadata_date:
        return metadata_date, DateSource.METADATA, []
    if path is None:
        return None, DateSource.NONE, []
    if named := filename_date(path):
        return named, DateSource.FILENAME, []
    try:
        day = dt.date.fromtimestamp(path.stat().st_mtime).isoformat()
    except OSError:
        return None, DateSource.NONE, []
    warning = (
        f"{_FILE_DATE_WARNING} {day} by the file's modification time, which a copy, clone or unzip "
        "resets; add a 'date YYYY-MM-DD' first line or start the file name with the date"
    )
    return day, DateSource.MTIME, [warning]
