"""Feasts whose names differ between the languages: "Kerst" and "Christmas", "Pasen" and "Easter".

python-holidays names the public holidays of the Netherlands and Belgium in Dutch and in English; the
two names of one date make a pair. A feast's key is the one word of its English name that is no ordinary
word ("christmas" of "Second Day of Christmas"; "Good Friday" has none, and needs none, since its words
are translated as words). Its Dutch stems are the words of its Dutch names without a final day word
("kerst" of "Tweede kerstdag", "pasen"), and a Dutch word that starts with one names the feast too
("Kerstavond", "paaswake", "Paasnacht").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from pipeline.checks import lexicon
from pipeline.checks.lexicon import Lang, fold
from pipeline.checks.names import ordinary
from pipeline.checks.numwords import word_value

COUNTRIES = ("NL", "BE")
YEARS = range(2024, 2026)  # two years hold every movable feast of both countries
MIN_STEM = 4
POSSESSIVE = re.compile(r"['’]s?$")


def feast_keys(words: Sequence[str], lang: Lang) -> set[str]:
    """The keys of the feasts among a text's folded words."""
    dutch, english = feast_names()
    if lang == "en":
        return {english[word] for word in words if word in english}
    return {key for word in words for stem, key in dutch.items() if word.startswith(stem)}


@functools.cache
def feast_names() -> tuple[dict[str, str], dict[str, str]]:
    """Dutch stems and English words of the feasts (see the module docstring), each to its key."""
    import holidays

    dutch: dict[str, str] = {}
    english: dict[str, str] = {}
    for country in COUNTRIES:
        names_nl = holidays.country_holidays(country, years=YEARS, language="nl")
        names_en = holidays.country_holidays(country, years=YEARS, language="en_US")
        for day, name in names_nl.items():
            keys = [word for word in _words(names_en[day]) if not ordinary(word, "en")]
            if len(keys) != 1:
                continue
            english[keys[0]] = f"feast:{keys[0]}"
            for word in _words(name):
                stem = _without_day(word)
                if len(stem) >= MIN_STEM and word_value(word, "nl") is None:
                    dutch[stem] = f"feast:{keys[0]}"
    return dutch, english


def _words(name: str) -> list[str]:
    return [POSSESSIVE.sub("", fold(word).rstrip(".")) for word in name.split()]


def _without_day(word: str) -> str:
    """ "paasmaandag" is "paas", "kerstdag" "kerst": the day word of a Dutch feast's name comes last."""
    for day in sorted([*lexicon.weekday_names("nl"), "dag"], key=len, reverse=True):
        if word.endswith(day) and len(word) - len(day) >= MIN_STEM:
            return word[: -len(day)]
    return word
