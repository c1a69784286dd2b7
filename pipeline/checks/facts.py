"""Numbers, amounts, percentages, dates and times of a text, each normalised to keys both languages share.

"3,5 miljoen euro" and "EUR 3.5 million" both give the key ``n:3500000``; "14.30 uur" and "2:30 pm" both
``t:150`` (minutes past midnight or noon, since English may write either clock); "vrijdag" and "Friday"
``w:4``; "5 sept." and "September 5" ``m:9`` and ``n:5``. A fact whose notation is ambiguous gets every
reading as a key ("12.30" in Dutch is a time or twelve point three), and a fact matches another when
they share a key, so a difference of notation is never a finding. Number words go through numwords.py
("vijfendertig", "thirty-five", "vierjarige", "WO II"); "een", "one", "twee" and "two" are weak: they
match, but their absence is no finding, since "een" is also the article and "two" is often "both" or "a
pair". A measure also gets its value in the unit's base (units.py), so "1,98 meter" meets "6-foot-6".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from pipeline.checks import lexicon
from pipeline.checks.digits import CLOCK, HHMM, clock_key, number_readings
from pipeline.checks.findings import Kind
from pipeline.checks.lexicon import Lang, fold
from pipeline.checks.names import ordinary
from pipeline.checks.numwords import plural_scale, roman_value, word_value
from pipeline.checks.units import Measure, is_unit, read_measure

TOKEN = re.compile(
    r"(?P<num>\d+(?:[.,:]\d+)*)(?P<suffix>[^\W\d_]*)"
    r"|(?P<word>[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?)"
    r"|(?P<open>\()|(?P<close>\))"
    r"|(?P<sym>[€$£¥%]|°[CF]?)"
)
YEAR_SPAN = re.compile(r"((?:19|20)\d\d)[-–/](\d\d)\b")
POSSESSIVE = re.compile(r"['’]s?$")


@dataclass(frozen=True)
class Fact:
    kind: Kind
    text: str  # as written
    keys: frozenset[str]
    weak: bool = False  # matches, but its absence is no finding
    currency: str = ""
    bracketed: bool = False  # inside parentheses
    measures: tuple[Measure, ...] = ()  # with a unit: its value in the unit's base (units.py)
    scale: int = 0  # the power of ten of its scale word ("million": 6), also when vague ("millions")


DECADE_WORDS = {"jaren", "jaren'", "eind", "begin"}
# "a decade" is ten years, "two decades" twenty: Dutch writes "tien jaar" and "twintig jaar". Each noun
# with whether it is singular (a lone "decades" is no count).
DECADE_NOUNS = {"decade": True, "decades": False, "decennium": True, "decennia": False}
# The words that make a lone scale word a count: "a million", "een miljoen" (but "several million").
ONE = {"a", "an", "een", "one", "één"}
# After these a number word is no count: "een paar duizend jaar", "in het honderd lopen" (to go wrong).
VAGUE = {"paar", "enkele", "vele", "het", "few", "several", "many", "some"}


@dataclass
class _Token:
    text: str
    kind: str  # num | word | sym
    suffix: str = ""
    bracketed: bool = False  # inside parentheses: often a conversion the source lacks ("(497 mph)")


def _key(value: Decimal) -> str:
    normal = value.normalize()
    return f"n:{normal:f}"


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


def _in_acht_nemen(before: str, after: str) -> bool:
    """ "in acht nemen" (to observe) holds no eight."""
    if before != "in" or not after:
        return False
    from simplemma import lemmatize

    return bool(lemmatize(after, "nl") == "nemen")


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
        self.fact_end = -1  # the token the last fact ended on
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
        if (
            self.date(token)
            or self.roman(token)
            or self.decade(word)
            or (word == "acht" and _in_acht_nemen(self.word(-1), self.word(1)))
        ):
            return
        parsed = word_value(token.text, self.lang)
        scale = lexicon.SCALES[self.lang].get(word) if word not in {"m", "k"} else None
        if parsed is not None:
            # "The Seven Sisters": a capitalised number word inside a name is part of the name; after
            # "a few" or "enkele" a number word is no count
            weak = parsed[1] or (token.text[:1].isupper() and self.i > 0) or self.word(-1) in VAGUE
            decades = _decade_readings(parsed[0], token, self.word(-1))
            self.quantity(parsed[0], token.text, weak=weak, others=decades, scale_word=scale)
        elif scale and self.word(-1) not in lexicon.HALF[self.lang]:
            # "a million" is a number; "several million" is not one to check
            self.quantity(Decimal(1), token.text, weak=self.word(-1) not in ONE, scale_here=scale)
        elif word in lexicon.HALF[self.lang]:
            self.half(token)
        elif power := plural_scale(word, self.lang):
            # "miljoenen", "tienduizenden", "millions": no count, but not "billions" either
            self.facts.append(Fact(Kind.NUMBER, token.text, frozenset(), weak=True, scale=power))

    def half(self, token: _Token) -> None:
        """ "half a million", "een half miljoen", and half a measure: "half an inch", "een halve meter"."""
        step = 2 if self.word(1) in {"a", "an", "een"} else 1
        half_scale = lexicon.SCALES[self.lang].get(self.word(step))
        if half_scale:
            self.i += step
            text = f"{token.text} {self.toks[self.i].text}"
            self.quantity(Decimal("0.5"), text, weak=False, scale_here=half_scale)
        elif is_unit(self.word(step)):
            text = " ".join(t.text for t in self.toks[self.i : self.i + step + 1])
            self.i += step - 1  # the unit is read after the number
            self.quantity(Decimal("0.5"), text, weak=False)

    def date(self, token: _Token) -> bool:
        """A month or a weekday, also with a possessive or a prefix ("February's", "mid-October"). An
        English one must be capitalised ("may", "march"), and is no date inside a name ("The Sunday
        Times")."""
        part = POSSESSIVE.sub("", token.text.rsplit("-", 1)[-1])
        word = fold(part).rstrip(".")
        if self.lang == "en" and not part[:1].isupper():
            return False
        month = self.months.get(word)
        if (
            month
            and (len(word) > 3 or self._near_number() or part.endswith("."))
            and (word != "may" or self._may())
        ):
            key = f"m:{month}"
        elif (
            day := next((n for name, n in self.weekdays.items() if word.startswith(name)), None)
        ) is not None:
            key = f"w:{day}"
        else:
            return False
        if self.lang != "en" or not self._in_name():
            # "de nacht van vrijdag op zaterdag" is "Friday night": its second day need not survive
            night = (
                key.startswith("w:")
                and self.word(-1) == "op"
                and self.word(-3) == "van"
                and self.word(-4) == "nacht"
            )
            self.facts.append(Fact(Kind.DATE, token.text, frozenset({key}), weak=night))
        return True

    def _may(self) -> bool:
        """ "May" is the month unless written otherwise or after a name ("Theresa May", "Mrs May"; "In
        May" is the month)."""
        before = self.toks[self.i - 1] if self.i > 0 else None
        after_name = (
            before is not None
            and before.kind == "word"
            and before.text[:1].isupper()
            and not ordinary(before.text, "en")
        )
        return self.toks[self.i].text.rstrip(".") == "May" and not after_name

    def roman(self, token: _Token) -> bool:
        """ "WO II", "Willem III": a Roman numeral after a capitalised word (a lone "I" only after an
        acronym, since it is also the English pronoun). Weak, as the numeral often belongs to a name."""
        numeral = token.text.rstrip(".")
        value = roman_value(numeral)
        before = self.toks[self.i - 1] if self.i > 0 else None
        if value is None or before is None or before.kind != "word" or not before.text[:1].isupper():
            return False
        if numeral == "I" and not (before.text.isupper() and len(before.text) > 1):
            return False
        self.quantity(Decimal(value), numeral, weak=True)
        return True

    def decade(self, word: str) -> bool:
        """ "a decade" is a weak ten; "two decades" adds twenty to the fact of "two"."""
        if word not in DECADE_NOUNS:
            return False
        if self.facts and self.fact_end == self.i - 1:
            last = self.facts[-1]
            tens = {_key(Decimal(key[2:]) * 10) for key in last.keys if key.startswith("n:")}
            self.facts[-1] = replace(last, keys=last.keys | tens)
        elif DECADE_NOUNS[word]:
            self.facts.append(Fact(Kind.NUMBER, word, frozenset({_key(Decimal(10))}), weak=True))
        return True

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
            key = clock_key(int(clock.group(1)), int(clock.group(2)))
            if key:
                self.facts.append(Fact(Kind.TIME, token.text, frozenset({key})))
                self.i += after in lexicon.HOUR_WORDS[self.lang]
                return
        readings = number_readings(token.text, self.lang)
        if not readings:
            return
        readings += _decade_readings(readings[0], token, self.word(-1))
        extra = {k for k in [clock_key(int(clock.group(1)), int(clock.group(2)))] if k} if clock else set()
        suffix = token.suffix.lower()
        if suffix in lexicon.HOUR_WORDS["en"] or (not suffix and after in lexicon.HOUR_WORDS[self.lang]):
            extra |= {k for k in [clock_key(int(readings[0]), 0)] if k and readings[0] == int(readings[0])}
        if HHMM.fullmatch(token.text) and after in lexicon.ZONE_WORDS | lexicon.HOUR_WORDS[self.lang]:
            # "1200 GMT", "0930 hrs": a 24-hour clock written without a separator
            extra |= {k for k in [clock_key(int(token.text[:2]), int(token.text[2:]))] if k}
        attached = lexicon.ATTACHED_SCALES if self.lang == "en" else {}
        scale = (
            attached.get(suffix) or lexicon.SCALES[self.lang].get(suffix)
            if len(suffix) > 2 or attached
            else None
        )
        if scale and is_unit(suffix):
            extra.add(_key(readings[0]))  # "100m" is a hundred metres as often as a hundred million
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
        scale_word: int | None = None,
    ) -> None:
        """A number with what follows it: a scale word, a percent word, a currency before or after.
        ``scale_word``: the number is itself a scale word ("thousand")."""
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
        found, skip = read_measure(values[0], self.following())
        power = len(str(scale or scale_word or 1)) - 1
        self.facts.append(
            Fact(
                kind,
                text,
                keys,
                weak=weak,
                currency=currency,
                bracketed=bracketed,
                measures=tuple(found),
                scale=power,
            )
        )
        self.i += skip  # "6-foot-6": the inches are part of this measure, no number of their own
        self.fact_end = self.i

    def following(self) -> list[tuple[str, float | None]]:
        """The next few tokens, as units.read_measure wants them: folded word, and value if a number."""
        found: list[tuple[str, float | None]] = []
        for token in self.toks[self.i + 1 : self.i + 6]:
            readings = number_readings(token.text, self.lang) if token.kind == "num" else []
            found.append((token.text.lower().rstrip("."), float(readings[0]) if readings else None))
        return found


def extract_facts(text: str, lang: Lang) -> list[Fact]:
    """The numbers, amounts, percentages, months, weekdays and times of ``text``, in order."""
    return _Reader(text, lang).read()
