"""Proper names of a text, and whether a name of one text is present in another.

A name is a run of capitalised words, with particles between them ("Van der Laan", "Bank of England")
and initials ("J.P. Balkenende"). A capitalised word that opens a sentence is a name only when it is
not an ordinary word of the language (simplemma's lexicon). Months and weekdays are dates, not names.
The words of a name that are ordinary words ("Tweede Kamer", "University") may be translated, so only
its other words must reappear: these are its ``required`` words. A required word is present when it
occurs in the other text (case and diacritics aside, with a Dutch -s or -se ending allowed), or when
CLDR gives it an English form that occurs there ("Frankrijk" and "France", "Brussel" and "Brussels").
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pipeline.checks import lexicon
from pipeline.checks.lexicon import Lang, fold
from pipeline.checks.places import RELATED_PREFIX, spelled

WORD = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?|[.!?:;,\"“”‘’'()/]")
BREAKS = frozenset(".!?:;,\"“”‘’'()/")
OPENERS = frozenset(".!?:\"“”‘’'(")
POSSESSIVE = re.compile(r"['’]s?$")
# Two forms are related when their spelling keys (places.spelled) share a prefix this long ("paris" and
# "parijzenaren"), or one of at least RELATED_PREFIX letters that covers RELATED_SHARE of the shorter key.
SURE_PREFIX = 5
RELATED_SHARE = 0.6
# The first part of a compound that ends in a name is at least this long ("hong" of "hongkong").
MIN_COMPOUND_HEAD = 3
# An abbreviation keeps its full stop ("Dr.", "St."); after a longer word the stop ends the sentence.
ABBREVIATION_LENGTH = 3
INITIAL = re.compile(r"(?:[A-Z]\.)+")
TITLES = frozenset(
    {
        "dr",
        "prof",
        "mr",
        "mrs",
        "ms",
        "mw",
        "dhr",
        "mevr",
        "drs",
        "ir",
        "ing",
        "sir",
        "st",
        "jr",
        "sr",
        "det",
        "sgt",
        "capt",
        "lt",
        "gen",
        "col",
        "gov",
        "sen",
        "rep",
        "rev",
        "insp",
        "maj",
        "cpl",
        "adm",
        "supt",
        "pres",
    }
)
# The words that tie the head of a name to the rest of it ("Bank of England", "Hof van Justitie").
LINKS = frozenset({"of", "van"})
CONTRACTION = re.compile(r"[A-Za-z]+['’](?:m|ve|ll|d|re|t)")
# A sentence written in title case ("Tsunami Toll Soars Above 800"): its capitals say nothing.
TITLE_CASE_SHARE = 0.75
TITLE_CASE_WORDS = 4
# Near-misses shorter than this are too likely to be another word ("Ur" and "Or").
MIN_FUZZY_LENGTH = 4
NEAR_MISS_SCORE = 70


@dataclass(frozen=True)
class Name:
    text: str
    required: tuple[str, ...]  # folded words that must reappear
    acronym: bool = False  # NAVO and NATO: acronyms differ between the languages and are not required
    opener: bool = False  # one word opening a sentence: a name only if the lexicon lacks it, so less sure


@functools.cache
def _lexicon(lang: Lang) -> tuple[object, frozenset[str]]:
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    forms = DefaultDictionaryFactory().get_dictionary(lang)
    return forms, frozenset(forms.values())


def _known(word: str, lang: Lang) -> bool:
    forms, lemmas = _lexicon(lang)
    return word in forms or word in lemmas  # type: ignore[operator]


@functools.lru_cache(maxsize=1 << 14)  # bounded: a huge input of unique words must not grow it for ever
def ordinary(word: str, lang: Lang) -> bool:
    """Whether ``word`` is an ordinary word of the language, not only a name: in simplemma's lexicon, or
    (Dutch) a compound of such words ("Wereldgezondheidsorganisatie", "Melkweg")."""
    lower = word.lower().rstrip(".")
    return _known(lower, lang) or (lang == "nl" and _compound(lower))


@functools.lru_cache(maxsize=1 << 15)
def _compound(word: str, start: int = 0, parts: int = 0) -> bool:
    """``word[start:]`` is known words of at least 3 letters, two to four of them, linked by s, e or en."""
    if parts and len(word) - start >= 3 and _known(word[start:], "nl"):
        return True
    if parts >= 3:
        return False
    for end in range(start + 3, len(word) - 2):
        if _known(word[start:end], "nl"):
            for link in ("", "s", "e", "en"):
                if word.startswith(link, end) and _compound(word, end + len(link), parts + 1):
                    return True
    return False


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def _words(text: str) -> list[str]:
    """Words and breaks; a full stop after a word longer than an abbreviation is a break of its own."""
    words: list[str] = []
    for word in WORD.findall(text):
        if word.endswith(".") and len(word) > ABBREVIATION_LENGTH + 1 and not INITIAL.fullmatch(word):
            words += [POSSESSIVE.sub("", word[:-1]), "."]
        else:
            words.append(POSSESSIVE.sub("", word) if len(word) > 2 else word)
    return words


def _title_case(words: list[str]) -> bool:
    letters = [w for w in words if w not in BREAKS and len(w) > 3]
    return len(letters) >= TITLE_CASE_WORDS and sum(map(_is_capitalised, letters)) >= TITLE_CASE_SHARE * len(
        letters
    )


def extract_names(text: str, lang: Lang) -> list[Name]:
    """The names of ``text`` in order (see the module docstring). In a title-case text every capitalised
    word is treated like one opening a sentence: a name only if it is not an ordinary word."""
    words = [w for w in _words(text) if not CONTRACTION.fullmatch(w)]
    title_case = _title_case(words)
    dates = set(lexicon.month_names(lang)) | set(lexicon.weekday_names(lang))
    names: list[Name] = []
    run: list[str] = []
    opener = starts = True
    for index, word in enumerate(words):
        if word in BREAKS or not word:
            if run:
                names.append(_name(run, lang, starts))
                run = []
            opener = opener or word in OPENERS
            continue
        folded = fold(word).rstrip(".")
        capital = _is_capitalised(word) and folded not in dates
        if capital and (opener or title_case) and ordinary(word, lang) and not INITIAL.fullmatch(word):
            # an ordinary word opening a sentence is no name, unless a link ties it to one: "District of
            # Columbia", "Universiteit van Amsterdam"
            capital = not title_case and _linked(words, index)
        particle = folded in lexicon.PARTICLES and run and _next_capitalised(words, index)
        if capital or particle:
            if not run:
                starts = opener
            run.append(word)
        elif run:
            names.append(_name(run, lang, starts))
            run = []
        opener = False
    if run:
        names.append(_name(run, lang, starts))
    return [n for n in names if n.required or n.acronym]


def _linked(words: list[str], index: int) -> bool:
    """The word after ``index`` is a link ("of", "van") to a capitalised word."""
    return index + 1 < len(words) and fold(words[index + 1]) in LINKS and _next_capitalised(words, index + 1)


def _next_capitalised(words: list[str], index: int) -> bool:
    for word in words[index + 1 : index + 3]:
        if _is_capitalised(word):
            return True
        if fold(word) not in lexicon.PARTICLES:
            return False
    return False


def _acronym(word: str) -> bool:
    """NAVO, VN, MPs: acronyms differ between the languages, so they are never required."""
    return sum(c.isupper() for c in word) >= 2 and len(word) <= 5 or (word.isupper() and len(word) > 1)


def _required(word: str, lang: Lang) -> list[str]:
    """The parts of one word of a name that are not ordinary words ("Rossby-golven" requires "rossby")."""
    if INITIAL.fullmatch(word) or _acronym(word):
        return []
    parts = [part.rstrip(".") for part in word.split("-")]
    return [
        fold(part)
        for part in parts
        if len(part) > 1
        and not _acronym(part)
        and fold(part) not in lexicon.PARTICLES
        and fold(part) not in lexicon.COMPASS
        and fold(part).removesuffix("s") not in TITLES  # "Sens." and "Reps." too
        and not ordinary(part, lang)
    ]


def _name(run: list[str], lang: Lang, opener: bool) -> Name:
    text = " ".join(run)
    if len(run) == 1 and _acronym(run[0]):
        return Name(text, (), acronym=True)
    if len(run) == 1 and opener and ordinary(run[0], lang):
        return Name(text, ())
    required = tuple(part for word in run for part in _required(word, lang))
    if not required and not opener and len(run) > 1 and fold(run[0]) in lexicon.PARTICLES:
        # "De Wit", "Van Dijk": a capitalised particle mid-sentence opens a surname, ordinary words or not
        required = tuple(fold(word) for word in run[1:] if fold(word) not in lexicon.PARTICLES)
    return Name(text, required, opener=opener and len(run) == 1)


def ordered_words(text: str) -> list[str]:
    """The folded words of a text in order, possessive endings off (for names of more than one word)."""
    return [POSSESSIVE.sub("", fold(w).rstrip(".")) for w in WORD.findall(text) if w not in BREAKS]


def capitalised_words(text: str) -> tuple[set[str], set[str]]:
    """The folded words a text writes capitalised inside a sentence, where only names are, and those that
    open a sentence; each with the parts of a hyphenated word ("Nieuw-Zeelandse" is also "zeelandse")."""
    inside: set[str] = set()
    openers: set[str] = set()
    opener = True
    for word in _words(text):
        if word in BREAKS or not word:
            opener = opener or word in OPENERS
            continue
        if _is_capitalised(word):
            folded = fold(word).rstrip(".")
            (openers if opener else inside).update([folded, *(p for p in folded.split("-") if "-" in folded)])
        # a short word with a stop ("won.") ends a sentence too, unless it is a title or an initial
        opener = word.endswith(".") and not INITIAL.fullmatch(word) and fold(word)[:-1] not in TITLES
    return inside, openers


def text_words(text: str) -> set[str]:
    """The folded words of a text, the parts of its hyphenated words and those words written as one
    ("mohenjo-daro" is also "mohenjodaro"), possessive endings off."""
    words = {POSSESSIVE.sub("", fold(w).rstrip(".")) for w in WORD.findall(text)} - set(BREAKS)
    hyphenated = {word for word in words if "-" in word}
    return (
        words
        | {part for word in hyphenated for part in word.split("-") if part}
        | {word.replace("-", "") for word in hyphenated}
    )


def related(word: str, other: str) -> bool:
    """Whether two folded words look like forms of one name ("Tasmanian" and "Tasmaanse")."""
    short, long_ = sorted((spelled(word), spelled(other)), key=len)
    common = next((i for i, (a, b) in enumerate(zip(short, long_, strict=False)) if a != b), len(short))
    return common >= SURE_PREFIX or (common >= RELATED_PREFIX and common >= RELATED_SHARE * len(short))


def ends_compound(word: str, other: str) -> bool:
    """ "kong" ends "hongkong", "daro" ends "mohenjodaro": a name written as the last part of one word."""
    return (
        len(word) >= RELATED_PREFIX and len(other) >= len(word) + MIN_COMPOUND_HEAD and other.endswith(word)
    )


def present_as(word: str, other: set[str]) -> str | None:
    """The form in which ``word`` (folded) occurs in the other text: itself, or a related form with a Dutch
    ending ("Franse", "Ruttes"), an English one ("Tasmanian" and "Tasmaanse"), a spelling of the other
    language ("Irak" and "Iraq"), or the last part of a compound ("Hong Kong" and "Hongkong")."""
    if word in other:
        return word
    return next(
        (
            candidate
            for candidate in sorted(other)
            if related(word, candidate) or ends_compound(word, candidate)
        ),
        None,
    )


def word_present(word: str, other: set[str]) -> bool:
    return present_as(word, other) is not None


def respelled(word: str, form: str) -> bool:
    """``form`` is ``word`` with a letter or two changed, not a regular form of it ("Ciaron" for "Ciarán";
    "Iraq" for "Irak" is regular): a name the reader should see noted."""
    if word == form or spelled(word) == spelled(form) or abs(len(word) - len(form)) > 1:
        return False
    from rapidfuzz import fuzz

    return bool(fuzz.ratio(word, form) >= NEAR_MISS_SCORE)


def near_miss(word: str, other: set[str]) -> str | None:
    """A word of the other text that looks like a mangled ``word`` ("ciaran" and "ciaron")."""
    if len(word) < MIN_FUZZY_LENGTH:
        return None
    from rapidfuzz import fuzz, process

    found = process.extractOne(
        word,
        sorted(o for o in other if len(o) >= MIN_FUZZY_LENGTH),  # sorted: the same pick on ties every run
        scorer=fuzz.ratio,
        score_cutoff=NEAR_MISS_SCORE,
    )
    return str(found[0]) if found else None
