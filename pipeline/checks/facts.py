"""Numbers, amounts, percentages, dates and times of a text, each normalised to keys both languages share.

"3,5 miljoen euro" and "EUR 3.5 million" both give the key ``n:3500000``; "14.30 uur" and "2:30 pm" both
``t:150`` (minutes past midnight or noon, since English may write either clock); "vrijdag" and "Friday"
``w:4``; "5 sept." and "September 5" ``m:9`` and ``n:5``. A fact whose notation is ambiguous gets every
reading as a key ("12.30" in Dutch is a time or twelve point three), and a fact matches another when
they share a key, so a difference of notation is never a finding. Number words go through text2num
("vijfendertig", "thirty-five"); "een", "one", "twee" and "two" are weak: they match, but their absence
is no finding, since "een" is also the article and "two" is often "both" or "a pair".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from pipeline.checks import lexicon
from pipeline.checks.findings import Kind
from pipeline.checks.lexicon import Lang, fold
from pipeline.checks.units import RANGE_WORDS, Measure, is_unit, measures

TOKEN = re.compile(
    r"(?P<num>\d+(?:[.,:]\d+)*)(?P<suffix>[^\W\d_]*)"
    r"|(?P<word>[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?)"
    r"|(?P<open>\()|(?P<close>\))"
    r"|(?P<sym>[€$£¥%]|°[CF]?)"
)
DUTCH_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
ENGLISH_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
CLOCK = re.compile(r"(\d{1,2})[.:](\d{2})")
YEAR_SPAN = re.compile(r"((?:19|20)\d\d)[-–/](\d\d)\b")
# Stems every number word of the two languages is made of: only such words are given to text2num.
NUMBER_WORD = re.compile(
    r"(?:nul|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|der|veer|twin|dert|veert|tig"
    r"|honderd|duizend|en|ën"
    r"|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|teen|twenty|thirty|forty|fifty"
    r"|sixty|seventy|eighty|ninety|hundred|thousand|-)+"
)


@dataclass(frozen=True)
class Fact:
    kind: Kind
    text: str  # as written
    keys: frozenset[str]
    weak: bool = False  # matches, but its absence is no finding
    currency: str = ""
    bracketed: bool = False  # inside parentheses
    measures: tuple[Measure, ...] = ()  # with a unit: its value in the unit's base (units.py)


ORDINAL_ENDINGS = {"nl": ("de", "ste"), "en": ("th", "st", "nd", "rd")}
DECADE_WORDS = {"jaren", "jaren'", "eind", "begin"}


@dataclass
class _Token:
    text: str
    kind: str  # num | word | sym
    suffix: str = ""
    bracketed: bool = False  # inside parentheses: often a conversion the source lacks ("(497 mph)")


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _key(value: Decimal) -> str:
    normal = value.normalize()
    return f"n:{normal:f}"


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


def _clock_key(hour: int, minute: int) -> str | None:
    if hour > 24 or minute > 59:
        return None
    return f"t:{(hour % 12) * 60 + minute}"


def tokens(text: str) -> list[_Token]:
    found: list[_Token] = []
    depth = 0
    for match in TOKEN.finditer(text):
        if match.group("open") or match.group("close"):
            depth = max(0, depth + (1 if match.group("open") else -1))
        elif match.group("num"):
            found.append(_Token(match.group("num"), "num", match.group("suffix"), bracketed=depth > 0))
        elif match.group("word"):
            found.append(_Token(match.group("word"), "word", bracketed=depth > 0))
        else:
            found.append(_Token(match.group("sym"), "sym", bracketed=depth > 0))
    return found


def _word_value(word: str, lang: Lang) -> tuple[Decimal, bool] | None:
    """The value of a number word and whether it is weak: "vijfendertig", "six-point" (its first part), and
    ordinals ("negentiende", "third"), which are weak since "second" and "tweede" are often no number."""
    folded = word.lower().rstrip(".")
    for candidate in dict.fromkeys([folded, *folded.split("-")]):
        if NUMBER_WORD.fullmatch(candidate) and candidate not in {"en", "-", "der", "tig", "teen"}:
            from text_to_num import text2num

            # the first part of a compound ("four-day") is weak: Dutch writes it as one word ("vierdaagse")
            weak = candidate in lexicon.WEAK_NUMBER_WORDS or candidate != folded
            try:
                return Decimal(text2num(candidate, lang)), weak
            except (ValueError, IndexError, KeyError, TypeError):
                pass
        if candidate.endswith(ORDINAL_ENDINGS[lang]) and NUMBER_WORD.match(candidate):
            from text_to_num import alpha2digit

            digits = re.match(r"\d+", alpha2digit(candidate, lang))
            if digits:
                return Decimal(digits.group()), True
    return None


def _decade_readings(value: Decimal, token: _Token, before: str) -> list[Decimal]:
    """ "jaren 60" and "the 1960s" name one decade: each also reads as the other."""
    if token.suffix.lower() == "s" and value % 10 == 0 and 1900 <= value < 2100:
        return [value % 100]
    if before in DECADE_WORDS and value % 10 == 0 and value < 100:
        return [1900 + value, 2000 + value]
    return []


class _Reader:
    """One pass over the tokens of a text; each method reads one fact starting at ``self.i``."""

    def __init__(self, text: str, lang: Lang) -> None:
        self.toks = tokens(YEAR_SPAN.sub(lambda m: f"{m.group(1)} {m.group(1)[:2]}{m.group(2)}", text))
        self.lang = lang
        self.i = 0
        self.facts: list[Fact] = []
        self.months = lexicon.month_names(lang)
        self.weekdays = lexicon.weekday_names(lang)
        self.symbols = lexicon.currency_symbols()

    def word(self, offset: int) -> str:
        j = self.i + offset
        if 0 <= j < len(self.toks) and self.toks[j].kind in {"word", "sym"}:
            return self.toks[j].text.lower().rstrip(".")
        return ""

    def currency_at(self, offset: int) -> str:
        j = self.i + offset
        if not 0 <= j < len(self.toks):
            return ""
        raw = self.toks[j].text.rstrip(".")
        return self.symbols.get(raw) or lexicon.CURRENCY_WORDS.get(raw.lower(), "")

    def read(self) -> list[Fact]:
        while self.i < len(self.toks):
            token = self.toks[self.i]
            if token.kind == "num":
                self.number(token)
            elif token.kind == "word":
                self.named(token)
            self.i += 1
        return self.facts

    def named(self, token: _Token) -> None:
        """A month, a weekday, or a number written as a word (or a scale word alone: "a million")."""
        word = fold(token.text).rstrip(".")
        english_case = self.lang != "en" or token.text[:1].isupper()
        if self.lang == "en" and self._in_name():
            return
        if (
            english_case
            and word in self.months
            and (len(word) > 3 or self._near_number() or token.text.endswith("."))
            and (word != "may" or token.text == "May")
        ):
            self.facts.append(Fact(Kind.DATE, token.text, frozenset({f"m:{self.months[word]}"})))
            return
        day = next((n for name, n in self.weekdays.items() if word.startswith(name)), None)
        if english_case and day is not None:
            self.facts.append(Fact(Kind.DATE, token.text, frozenset({f"w:{day}"})))
            return
        parsed = _word_value(token.text, self.lang)
        scale = lexicon.SCALES[self.lang].get(word) if word not in {"m", "k"} else None
        if parsed is not None:
            # "The Seven Sisters": a capitalised number word inside a name is part of the name
            weak = parsed[1] or (token.text[:1].isupper() and self.i > 0)
            self.quantity(parsed[0], token.text, weak=weak)
        elif scale and self.word(-1) not in lexicon.HALF[self.lang]:
            # "a million" is a number; "several million" is not one to check
            self.quantity(
                Decimal(1), token.text, weak=self.word(-1) not in {"a", "een", "one", "één"}, scale_here=scale
            )
        elif word in lexicon.HALF[self.lang]:
            step = 2 if self.word(1) in {"a", "een"} else 1
            half_scale = lexicon.SCALES[self.lang].get(self.word(step))
            if half_scale:
                self.i += step
                self.quantity(
                    Decimal("0.5"),
                    f"{token.text} {self.toks[self.i].text}",
                    weak=False,
                    scale_here=half_scale,
                )

    def _in_name(self) -> bool:
        """ "The Sunday Times": an English day or month after "the" and before a capitalised word that is
        not itself a date is part of a name."""
        if self.i + 1 >= len(self.toks) or self.i == 0 or self.toks[self.i - 1].text.lower() != "the":
            return False
        after = self.toks[self.i + 1]
        folded = fold(after.text).rstrip(".")
        return (
            after.kind == "word"
            and after.text[:1].isupper()
            and folded not in self.months
            and folded not in self.weekdays
        )

    def _near_number(self) -> bool:
        neighbours = (self.i - 1, self.i + 1)
        return any(0 <= j < len(self.toks) and self.toks[j].kind == "num" for j in neighbours)

    def number(self, token: _Token) -> None:
        clock = CLOCK.fullmatch(token.text)
        after = self.word(1)
        if clock and (after in lexicon.HOUR_WORDS[self.lang] or ":" in token.text):
            key = _clock_key(int(clock.group(1)), int(clock.group(2)))
            if key:
                self.facts.append(Fact(Kind.TIME, token.text, frozenset({key})))
                self.i += after in lexicon.HOUR_WORDS[self.lang]
                return
        readings = number_readings(token.text, self.lang)
        if not readings:
            return
        readings += _decade_readings(readings[0], token, self.word(-1))
        extra = {k for k in [_clock_key(int(clock.group(1)), int(clock.group(2)))] if k} if clock else set()
        suffix = token.suffix.lower()
        if suffix in lexicon.HOUR_WORDS["en"] or (not suffix and after in lexicon.HOUR_WORDS[self.lang]):
            extra |= {k for k in [_clock_key(int(readings[0]), 0)] if k and readings[0] == int(readings[0])}
        attached = lexicon.ATTACHED_SCALES if self.lang == "en" else {}
        scale = (
            attached.get(suffix) or lexicon.SCALES[self.lang].get(suffix)
            if len(suffix) > 2 or attached
            else None
        )
        self.quantity(readings[0], token.text, weak=False, scale_here=scale, others=readings[1:], extra=extra)

    def quantity(  # noqa: PLR0913 - one fact's parts
        self,
        value: Decimal,
        text: str,
        *,
        weak: bool,
        scale_here: int | None = None,
        others: list[Decimal] | None = None,
        extra: set[str] | None = None,
    ) -> None:
        """A number with what follows it: a scale word, a percent word, a currency before or after."""
        currency = self.currency_at(-1)
        scale = scale_here
        if scale is None and self.word(1) in lexicon.SCALES[self.lang] and self.word(1) not in {"m", "k"}:
            scale = lexicon.SCALES[self.lang][self.word(1)]
            text = f"{text} {self.toks[self.i + 1].text}"
            self.i += 1
            weak = False
        values = [v * (scale or 1) for v in [value, *(others or [])]]
        kind = Kind.NUMBER
        if self.word(1) in lexicon.PERCENT_WORDS or (self.word(1) == "per" and self.word(2) == "cent"):
            kind = Kind.PERCENT
        currency = currency or self.currency_at(1)
        if currency:
            kind = Kind.AMOUNT
        keys = frozenset({_key(v) for v in values} | (extra or set()))
        bracketed = self.toks[self.i].bracketed
        found = tuple(m for v in values[:1] for m in self.measures_after(float(v)))
        self.facts.append(
            Fact(kind, text, keys, weak=weak, currency=currency, bracketed=bracketed, measures=found)
        )

    def measures_after(self, value: float) -> list[Measure]:
        """The unit after the number, or after the second number of a range ("2 tot 10 cm")."""
        offset = 1
        if (
            self.word(1) in RANGE_WORDS
            and self.i + 2 < len(self.toks)
            and self.toks[self.i + 2].kind == "num"
        ):
            offset = 3
        unit = self.word(offset)
        if unit.endswith("/") or unit == "km" and self.word(offset + 1) in {"u", "h"}:
            unit = "km/h"
        return measures(value, unit, self.word(offset + 1)) if is_unit(unit) else []


def extract_facts(text: str, lang: Lang) -> list[Fact]:
    """The numbers, amounts, percentages, months, weekdays and times of ``text``, in order."""
    return _Reader(text, lang).read()
