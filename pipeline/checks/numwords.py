"""Numbers written as words: cardinals and ordinals through text2num, and the forms it does not read.

text2num reads "vijfendertig" and "thirty-five", "negentiende" and "twelfth"; it does not read the first
two ordinals ("eerste", "second"), a Dutch number fused with the word it counts ("negenkoppige",
"vierentwintigjarige"), "anderhalf", or Roman numerals ("WO II"): those are read here. Ordinals and
Roman numerals are weak (they match, but their absence is no finding), since "tweede" is often no
count at all and "II" often part of a name; a compound is a count like its number ("de
vierentwintigjarige" is "the 24-year-old").
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal

from pipeline.checks import lexicon
from pipeline.checks.lexicon import Lang

# Stems every number word of the two languages is made of: only such words are given to text2num.
NUMBER_WORD = re.compile(
    r"(?:nul|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|der|veer|twin|dert|veert|tig"
    r"|tach|honderd|duizend|en|ën"
    r"|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|teen|twenty|thirty|forty|fifty"
    r"|sixty|seventy|eighty|ninety|hundred|thousand|thir|fif|twelf|twen|nin|-)+"
)
ORDINAL_ENDINGS = {"nl": ("de", "ste"), "en": ("th", "st", "nd", "rd")}
# The ordinals text2num does not read (its alpha2digit leaves them as words).
FIRST_ORDINALS = {"nl": {"eerste": 1, "tweede": 2}, "en": {"first": 1, "second": 2}}
# Number words that are a fraction of one.
FRACTION_WORDS = {"nl": {"anderhalf": Decimal("1.5")}, "en": {}}
# What Dutch fuses onto a number to make an adjective or a group ("vierjarige", "driedaagse", "elftal"):
# there is no list of these in CLDR or simplemma, and the lexicon alone would also split "acht-ergrond".
# A group is weak: "tientallen" is "dozens", "een elftal" any team.
COMPOUND_HEADS = re.compile(
    r"(?:jarig|koppig|daags|delig|voudig|hoekig|talig|zijdig|sporig|maal|ledig|tal)(?:e|en|len)?"
)
GROUP = re.compile(r"tal(?:len)?$")
ROMAN = re.compile(r"(?=[IVXL])L?X{0,3}(?:IX|IV|V?I{0,3})")
ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}
WEAK_STEMS = ("een", "één", "twee")
SKIPPED_STEMS = frozenset({"en", "-", "der", "tig", "teen"})


def _text2num(word: str, lang: Lang) -> Decimal | None:
    from text_to_num import text2num

    try:
        return Decimal(text2num(word, lang))
    except (ValueError, IndexError, KeyError, TypeError):
        return None


def _ordinal(word: str, lang: Lang) -> Decimal | None:
    if word in FIRST_ORDINALS[lang]:
        return Decimal(FIRST_ORDINALS[lang][word])
    if word.endswith(ORDINAL_ENDINGS[lang]) and NUMBER_WORD.match(word):
        from text_to_num import alpha2digit

        digits = re.match(r"\d+", alpha2digit(word, lang))
        if digits:
            return Decimal(digits.group())
    return None


def compound_value(word: str, lang: Lang) -> Decimal | None:
    """ "negenkoppige" is 9 and "vierentwintigjarige" 24: a Dutch number word fused with a head of
    COMPOUND_HEADS, the longest number first."""
    if lang != "nl":
        return None
    for end in range(len(word) - 3, 2, -1):
        head, number = word[end:], word[:end]
        if COMPOUND_HEADS.fullmatch(head) and NUMBER_WORD.fullmatch(number):
            value = _text2num(number, lang)
            if value is not None:
                return value
    return None


@functools.lru_cache(maxsize=1 << 14)  # called for every word of every text
def word_value(word: str, lang: Lang) -> tuple[Decimal, bool] | None:
    """The value of a number word and whether it is weak: "vijfendertig", "six-point" (its first part),
    ordinals ("negentiende", "third") and compounds ("vierjarige")."""
    folded = word.lower().rstrip(".")
    if folded in FRACTION_WORDS[lang]:
        return FRACTION_WORDS[lang][folded], False
    for candidate in dict.fromkeys([folded, *folded.split("-")]):
        if NUMBER_WORD.fullmatch(candidate) and candidate not in SKIPPED_STEMS:
            # the first part of a compound ("four-day") is weak: Dutch writes it as one word ("vierdaagse")
            weak = candidate in lexicon.WEAK_NUMBER_WORDS or candidate != folded
            value = _text2num(candidate, lang)
            if value is not None:
                return value, weak
        ordinal = _ordinal(candidate, lang)
        if ordinal is not None:
            return ordinal, True
    compound = compound_value(folded, lang)
    if compound is None:
        return None
    return compound, folded.startswith(WEAK_STEMS) or GROUP.search(folded) is not None


def roman_value(word: str) -> int | None:
    """ "II" is 2, "XIV" 14; only numerals of at most L, as written after a name ("WO II", "Willem III")."""
    if not word or not ROMAN.fullmatch(word):
        return None
    values = [ROMAN_VALUES[c] for c in word]
    return sum(-v if v < after else v for v, after in zip(values, [*values[1:], 0], strict=True))


@functools.lru_cache(maxsize=1 << 14)
def plural_scale(word: str, lang: Lang) -> int:
    """The power of ten of a vague count of a scale: "miljoenen" and "millions" 6, "tienduizenden" 3;
    0 for any other word."""
    for plural, scale in lexicon.PLURAL_SCALES[lang].items():
        if (
            word == plural
            or lang == "nl"
            and word.endswith(plural)
            and NUMBER_WORD.fullmatch(word[: -len(plural)])
        ):
            return len(str(scale)) - 1
    return 0
