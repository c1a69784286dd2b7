"""The words that carry facts, per language, from CLDR (babel) where CLDR has them.

Month and weekday names, currency names and symbols, and the English forms of Dutch country, language and
city names come from CLDR through babel, so they are not a hand list that drifts. What CLDR does not hold
(scale words such as "miljoen" and "mln.", percent words, name particles) is written here once.
"""

from __future__ import annotations

import functools
import unicodedata

Lang = str  # "nl" or "en"

SCALES: dict[Lang, dict[str, int]] = {
    "nl": {
        "duizend": 10**3,
        "miljoen": 10**6,
        "mln": 10**6,
        "miljard": 10**9,
        "mld": 10**9,
        "mrd": 10**9,
        "biljoen": 10**12,
    },
    "en": {
        "thousand": 10**3,
        "million": 10**6,
        "mln": 10**6,
        "mn": 10**6,
        "m": 10**6,
        "billion": 10**9,
        "bn": 10**9,
        "trillion": 10**12,
        "k": 10**3,
    },
}
# A vague count of a scale: "miljoenen mensen", "millions of people" (hundreds are left out: "honderden"
# is as often "a few hundred" as "hundreds").
PLURAL_SCALES: dict[Lang, dict[str, int]] = {
    "nl": {"duizenden": 10**3, "miljoenen": 10**6, "miljarden": 10**9},
    "en": {"thousands": 10**3, "millions": 10**6, "billions": 10**9, "trillions": 10**12},
}
# Scale letters written onto the number ("3m", "5bn"): English only, and never alone (a lone "m" is metres).
ATTACHED_SCALES = {"m": 10**6, "mn": 10**6, "bn": 10**9, "k": 10**3}
PERCENT_WORDS = {"procent", "percent", "procentpunt", "procentpunten", "pct", "%"}
HALF = {"nl": {"half", "halve"}, "en": {"half"}}
# Currency words as written in running text; the ISO codes and symbols come from CLDR below.
CURRENCY_WORDS = {
    "euro": "EUR",
    "euros": "EUR",
    "eurocent": "EUR",
    "dollar": "USD",
    "dollars": "USD",
    "pond": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "yen": "JPY",
    "frank": "CHF",
    "franc": "CHF",
    "francs": "CHF",
}
CURRENCY_CODES = ("EUR", "USD", "GBP", "JPY", "CHF", "CNY", "RUB", "SEK", "NOK", "DKK", "PLN", "TRY", "INR")
# Hour words after a time: "14.30 uur", "2.30 pm".
HOUR_WORDS = {"nl": {"uur", "u"}, "en": {"am", "pm", "a.m", "p.m", "hrs", "h"}}
# Time zones written after a time ("1200 GMT").
ZONE_WORDS = frozenset({"gmt", "utc", "cet", "cest", "bst", "est", "edt", "cst", "cdt", "pst", "pdt"})
# Words inside a multi-word name ("Van der Laan", "Bank of England"); lowercase in running text.
PARTICLES = frozenset(
    {
        "van",
        "der",
        "den",
        "de",
        "het",
        "ten",
        "ter",
        "te",
        "'t",
        "von",
        "zu",
        "di",
        "da",
        "du",
        "del",
        "della",
        "le",
        "la",
        "al",
        "el",
        "bin",
        "ibn",
        "of",
        "the",
        "y",
        "dos",
        "das",
        "do",
    }
)
# Points of the compass in a name ("Oost-Europa", "Midden-Java", "Noord-Holland"): translated with it,
# so never required; simplemma knows only some of them.
COMPASS = frozenset(
    {
        *("noord", "zuid", "oost", "west", "midden", "centraal"),
        *("noordoost", "noordwest", "zuidoost", "zuidwest"),
        *("north", "south", "east", "west", "central", "middle"),
        *("northeast", "northwest", "southeast", "southwest"),
    }
)
# Words that read as numbers but are not a fact to check: the article and "one of".
# "nul" and "zero" are mostly a level ("onder nul", "below freezing"), not a count.
WEAK_NUMBER_WORDS = frozenset(
    {"een", "één", "eén", "one", "a", "an", "twee", "two", "both", "beide", "nul", "zero"}
)


@functools.lru_cache(maxsize=1 << 14)  # the same words recur from text to text
def fold(text: str) -> str:
    """Lowercase without diacritics: "Ciarán" and "ciaran" fold alike."""
    return text.lower() if text.isascii() else strip_marks(text)


def strip_marks(text: str) -> str:
    """``fold`` without its cache, for the many names of a data set that are folded once."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.cache
def _locale(lang: Lang) -> object:
    from babel import Locale

    return Locale.parse(lang)


@functools.cache
def month_names(lang: Lang) -> dict[str, int]:
    """Wide and abbreviated month names, folded, to the month's number."""
    locale = _locale(lang)
    names: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for number, name in locale.months["format"][width].items():  # type: ignore[attr-defined]
            names[fold(name).rstrip(".")] = int(number)
    names["sept"] = 9
    return names


@functools.cache
def weekday_names(lang: Lang) -> dict[str, int]:
    """Wide weekday names, folded, to 0 (Monday) to 6; abbreviations ("do", "za") are ordinary words."""
    locale = _locale(lang)
    return {fold(name): int(number) for number, name in locale.days["format"]["wide"].items()}  # type: ignore[attr-defined]


@functools.cache
def currency_symbols() -> dict[str, str]:
    """Symbols and codes to ISO codes, as CLDR writes them in English and Dutch."""
    symbols = {code: code for code in CURRENCY_CODES}
    for lang in ("en", "nl"):
        for code in CURRENCY_CODES:
            symbol = _locale(lang).currency_symbols.get(code)  # type: ignore[attr-defined]
            if symbol and symbol != code and not symbol.isalpha():
                symbols.setdefault(symbol, code)
    return symbols


@functools.cache
def territory_languages() -> dict[str, str]:
    """The main official language of each territory, so that "Frankrijk", "France" and "French" meet."""
    from babel.languages import get_official_languages

    found = {}
    for code in _locale("en").territories:  # type: ignore[attr-defined]
        languages = get_official_languages(code, de_facto=True) if code.isalpha() else ()
        if languages:
            found[f"territory:{code}"] = f"language:{languages[0].split('_')[0]}"
    return found


@functools.cache
def place_names(lang: Lang) -> dict[str, str]:
    """Country, language and city names of CLDR, folded, to a key shared by both languages' forms.

    Territories and languages key by their code; cities by their time zone: CLDR names a zone's city
    in a language only where it differs from the zone's own name ("Europe/Brussels" is "Brussel" in
    Dutch), so the zones with a Dutch city name are exactly the cities whose English name differs."""
    names: dict[str, str] = {}
    for code, name in _locale(lang).territories.items():  # type: ignore[attr-defined]
        names.setdefault(fold(name), f"territory:{code}")
    for code, name in _locale(lang).languages.items():  # type: ignore[attr-defined]
        names.setdefault(fold(name), f"language:{code}")
        if (
            lang == "nl"
        ):  # the adjective and the language are one word in Dutch: "Zweeds", "de Zweedse Academie"
            names.setdefault(fold(name) + "e", f"language:{code}")
    for zone in _locale("nl").time_zones:  # type: ignore[attr-defined]
        city = _locale(lang).time_zones.get(zone, {}).get("city") or zone.rsplit("/", 1)[-1].replace("_", " ")  # type: ignore[attr-defined]
        names.setdefault(fold(city), f"city:{zone}")
    return names
