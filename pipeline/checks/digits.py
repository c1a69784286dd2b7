"""Numbers and clock times written in digits, in Dutch and English notation.

Dutch writes "1.234,5" and "14.30 uur" where English writes "1,234.5" and "2:30 pm"; a quoted figure may
follow the other language's notation, so a digit string gets every reading it can have, the likeliest
first. A time of day is keyed in minutes past midnight or noon, since English may write either clock.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from pipeline.checks.lexicon import Lang

DUTCH_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
ENGLISH_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
CLOCK = re.compile(r"(\d{1,2})[.:](\d{2})")
HHMM = re.compile(r"[012]\d[0-5]\d")  # "1200 GMT": a 24-hour clock without a separator
LAST_HOUR = 24
LAST_MINUTE = 59


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def number_readings(text: str, lang: Lang) -> list[Decimal]:
    """Every value a digit string can mean in ``lang``'s notation, the likeliest first."""
    readings: list[Decimal | None] = []
    thousands, other = (
        (DUTCH_THOUSANDS, ENGLISH_THOUSANDS) if lang == "nl" else (ENGLISH_THOUSANDS, DUTCH_THOUSANDS)
    )
    dot, comma = (",", ".") if lang == "nl" else (".", ",")
    if thousands.fullmatch(text):
        readings.append(_decimal(text.replace(comma, "").replace(dot, ".")))
    if other.fullmatch(text):  # the other language's notation, as quoted figures sometimes are
        readings.append(_decimal(text.replace(dot, "").replace(comma, ".")))
    if text.count(dot) <= 1 and comma not in text:
        readings.append(_decimal(text.replace(dot, ".")))
    if text.count(comma) == 1 and dot not in text and not thousands.fullmatch(text):
        readings.append(_decimal(text.replace(comma, ".")))
    return [r for r in dict.fromkeys(readings) if r is not None]


def clock_key(hour: int, minute: int) -> str | None:
    """The key of a time of day on a 12-hour clock; None for what is no time ("25.80")."""
    if hour > LAST_HOUR or minute > LAST_MINUTE:
        return None
    return f"t:{(hour % 12) * 60 + minute}"
