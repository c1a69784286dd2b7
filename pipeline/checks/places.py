"""Places and the languages spoken there, in both languages' forms, from CLDR (babel).

``place_keys`` gives the CLDR keys of the places a text names, so that "Frankrijk", "France" and
"French" meet, and so do "Brussel" and "Brussels", "Roemeense" and "Romania".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from pipeline.checks import lexicon
from pipeline.checks.lexicon import Lang

# Spellings that differ between Dutch and English forms of one name ("Irak"/"Iraq", "Afrika"/"Africa",
# "Filipijnen"/"Philippines", "Boeddha"/"Buddha").
DIGRAPHS = (("sch", "s"), ("ph", "f"), ("ij", "i"), ("oe", "u"), ("th", "t"))
SPELLING = str.maketrans({"c": "k", "q": "k", "y": "i", "w": "v", "z": "s"})
# A word derived from a place shares this much of its spelling key ("roem" of "roemenie", "roemeense").
RELATED_PREFIX = 4
DERIVED_MIN_LENGTH = 6


def place_keys(words: Iterable[str], lang: Lang) -> set[str]:
    """CLDR keys of the places and languages a text names: single words, pairs ("verenigde staten"), and
    words derived from a place name ("Roemeense", "Parisians"); with each country's main language, so
    that "Frankrijk", "France" and "French" meet."""
    table = lexicon.place_names(lang)
    listed = list(words)
    keys = {table[w] for w in listed if w in table}
    keys |= {table[f"{a} {b}"] for a, b in zip(listed, listed[1:], strict=False) if f"{a} {b}" in table}
    keys |= {key for w in listed if w not in table for key in derived_places(w, lang)}
    languages = lexicon.territory_languages()
    return keys | {languages[key] for key in keys if key in languages}


def derived_places(word: str, lang: Lang) -> set[str]:
    """Keys of the CLDR places ``word`` is derived from: "nieuw-zeelandse" from Nieuw-Zeeland."""
    if len(word) < DERIVED_MIN_LENGTH:
        return set()
    key = spelled(word)
    return {
        place
        for name, place in _places_by_prefix(lang).get(key[:RELATED_PREFIX], ())
        if key.startswith(name[: max(RELATED_PREFIX, len(name) - 3)]) and len(key) > RELATED_PREFIX
    }


@functools.cache
def _places_by_prefix(lang: Lang) -> dict[str, list[tuple[str, str]]]:
    index: dict[str, list[tuple[str, str]]] = {}
    for name, place in lexicon.place_names(lang).items():
        key = spelled(name)
        if len(key) >= RELATED_PREFIX and " " not in name:
            index.setdefault(key[:RELATED_PREFIX], []).append((key, place))
    return index


@functools.cache
def spelled(word: str) -> str:
    """A spelling key for names across the languages (see DIGRAPHS and SPELLING); doubled letters single."""
    for digraph, letter in DIGRAPHS:
        word = word.replace(digraph, letter)
    return re.sub(r"(.)\1", r"\1", word.translate(SPELLING))
