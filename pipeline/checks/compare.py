"""Holding the facts of one text against another: what went missing, and what came from nowhere.

``check_translation`` compares a Dutch sentence with its English both ways: a fact of the source that
the translation lacks is missing (or changed, when a near form of a name stands in its place), and a
fact of the translation that the source lacks was added. ``unsupported`` looks one way only: the facts
of a bullet or headline that none of its evidence (the English translation or the Dutch source) holds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.checks import lexicon
from pipeline.checks.facts import Fact, extract_facts
from pipeline.checks.feasts import feast_keys
from pipeline.checks.findings import Finding, Kind, Severity
from pipeline.checks.lexicon import Lang, fold
from pipeline.checks.names import (
    Name,
    capitalised_words,
    extract_names,
    near_miss,
    ordered_words,
    present_as,
    respelled,
    text_words,
    word_present,
)
from pipeline.checks.places import place_keys
from pipeline.checks.units import Measure, agree

# Dutch adjectives of places and peoples ("Amerikaanse", "Britse", "Franse", "Tsjechische").
ADJECTIVE_ENDINGS = ("se", "sche")


def name_keys(words: Sequence[str], lang: Lang) -> set[str]:
    """Keys that a name shares with its form in the other language: places (CLDR, GeoNames) and feasts."""
    return place_keys(words, lang) | feast_keys(words, lang)


def initials(text: str) -> str:
    """ "New York City" is NYC; particles and lowercase words do not count."""
    return "".join(word[0] for word in text.split() if word[:1].isupper())


@dataclass
class Side:
    """What one text offers as support: its fact keys, its words and the places it names."""

    keys: set[str]
    words: set[str]
    places: set[str]
    parenthesised: bool = (
        False  # has a parenthesis: a number in parentheses on the other side may be a conversion
    )
    facts: list[Fact] = field(default_factory=list)
    acronyms: set[str] = field(default_factory=set)  # "NYC", "SNL": a name may stand as its initials
    measures: list[Measure] = field(default_factory=list)
    pairs: set[str] = field(default_factory=set)  # adjacent words, "t rex" of "T. rex" and "T-Rex"
    capitals: set[str] = field(default_factory=set)  # words capitalised inside a sentence: names
    openers: set[str] = field(default_factory=set)  # capitalised words opening a sentence

    @classmethod
    def of(cls, texts: Sequence[tuple[str, Lang]]) -> Side:
        side = cls(set(), set(), set())
        for text, lang in texts:
            facts = extract_facts(text, lang)
            side.keys |= {key for fact in facts for key in fact.keys}
            side.parenthesised = side.parenthesised or "(" in text
            side.facts += facts
            side.measures += [measure for fact in facts for measure in fact.measures]
            side.words |= text_words(text)
            ordered = ordered_words(text)
            side.places |= name_keys(ordered, lang)
            parts = [part for word in ordered for part in word.split("-") if part]
            side.pairs |= {f"{a} {b}" for a, b in zip(parts, parts[1:], strict=False)}
            inside, openers = capitalised_words(text)
            side.capitals |= inside
            side.openers |= openers
            side.acronyms |= {
                re.sub(r"s$", "", word.replace(".", "")) for word in re.findall(r"\b[A-Z][A-Z.]+s?\b", text)
            }
        return side


def _fact_findings(facts: list[Fact], other: Side, message: str, counted: bool) -> list[Finding]:
    """Facts the other side lacks. With ``counted``, each fact of the other side supports one fact only
    ("6-6" needs two sixes). A number in parentheses counts only when the other side has parentheses
    too: otherwise it is a conversion one side added ("800 km/u" and "800 kph (497 mph)")."""
    unused = list(other.facts)
    findings = []
    # Sure facts first, and only they use up a match: "een" (a, one) must not take the "1" of "1 oktober".
    for fact in sorted(facts, key=lambda f: f.weak):
        match = next((theirs for theirs in unused if fact.keys & theirs.keys), None)
        if match is not None and counted and not fact.weak:
            unused.remove(match)
        if (
            (fact.weak and not _other_scale(fact, other))
            or match is not None
            or fold(fact.text) in other.words  # "Saturday Night Live" kept in English in the Dutch
            or (fact.bracketed and not other.parenthesised)
            or any(agree(mine, theirs) for mine in fact.measures for theirs in other.measures)
        ):
            continue
        text = message.format(text=fact.text, kind=fact.kind.value)
        findings.append(Finding(fact.kind, Severity.WARNING, fact.text, text))
    return findings


def _other_scale(fact: Fact, other: Side) -> bool:
    """A vague count ("several billion", "miljoenen") the other side counts in another scale only: a weak
    fact, but a scale changed from millions to billions is a change all the same."""
    scales = {theirs.scale for theirs in other.facts if theirs.scale}
    return bool(fact.scale and scales and fact.scale not in scales)


def _abbreviated(text: str, acronyms: set[str]) -> set[str]:
    """The words of a name that the other text writes as an acronym: "District of Columbia Attorney
    General" has "D.C." in "de procureur-generaal van Washington D.C."."""
    words = text.split()
    found: set[str] = set()
    for start in range(len(words)):
        for end in range(start + 2, len(words) + 1):
            if initials(" ".join(words[start:end])) in acronyms:
                found |= {fold(word).rstrip(".") for word in words[start:end]}
    return found


def _missing_words(name: Name, lang: Lang, other: Side, every: bool) -> list[str]:
    """The required words of ``name`` the other text lacks; none when the name is a place (or derived from
    one, "Roemeense") or a feast that the other text names in its own language, or when it is written as
    its initials ("NYC"). A word is also present as part of an acronym ("D.C.") or as its initial ("T.
    rex"). With ``every`` False, a name counts as present when one of its words is (the other text may
    leave out a first name or a title, or shorten "New York Post" to "the Post")."""
    if name_keys([fold(name.text).rstrip(".")], lang) & other.places or initials(name.text) in other.acronyms:
        return []
    words = [fold(word).rstrip(".") for word in name.text.split()]
    if not every and _shortened(words, other):
        return []
    abbreviated = _abbreviated(name.text, other.acronyms)
    missing = [
        word
        for word in name.required
        if word not in abbreviated
        and not word_present(word, other.words)
        and not name_keys([word], lang) & other.places
        and not _initial(word, words, other)
    ]
    return missing if every or len(missing) == len(name.required) else []


def _shortened(words: list[str], other: Side) -> bool:
    """ "the Post" for "de New York Post": a word of the name, ordinary or not, is a name in the other
    text (written capitalised)."""
    return any(len(word) > 2 and word not in lexicon.PARTICLES and word in other.capitals for word in words)


def _initial(word: str, words: list[str], other: Side) -> bool:
    """ "T. rex" and "T-Rex" for "Tyrannosaurus Rex", "J. Smith" for "John Smith": a word of a name
    written as its initial before the next word of the name."""
    at = words.index(word) if word in words else -1
    return 0 <= at < len(words) - 1 and f"{word[0]} {words[at + 1]}" in other.pairs


def _name_findings(names: list[Name], lang: Lang, other: Side, message: str, every: bool) -> list[Finding]:
    """A name the other text lacks is a warning; one it holds in a near form ("Ciaron" for "Ciarán") only a
    note, since names are often spelt otherwise in English ("Brzezinski", "Millar" and "Miller")."""
    findings = []
    for name in names:
        missing = [] if name.acronym else _missing_words(name, lang, other, every)
        if not missing:
            respelt = [
                (w, form)
                for w in name.required
                if (form := present_as(w, other.words)) and respelled(w, form)
            ]
            if respelt and every:  # noted once, on the output's side
                word, form = respelt[0]
                findings.append(Finding(Kind.NAME, Severity.NOTE, name.text, f"{word!r} is written {form!r}"))
            continue
        # a name is near only another name: "Brennigan" is no form of "brengen"
        near = [hit for word in missing if (hit := near_miss(word, other.capitals | other.openers))]
        if len(near) == len(missing):
            findings.append(
                Finding(Kind.NAME, Severity.NOTE, name.text, f"{name.text!r} is written {near[0]!r}")
            )
        elif lang == "nl" and not every and all(word.endswith(ADJECTIVE_ENDINGS) for word in missing):
            # "de Amerikaanse regering" is often "the U.S. government": the adjective need not survive
            findings.append(
                Finding(Kind.NAME, Severity.NOTE, name.text, f"{name.text!r} is not named in the translation")
            )
        else:
            findings.append(Finding(Kind.NAME, Severity.WARNING, name.text, message.format(text=name.text)))
    return findings


def _sure(names: list[Name]) -> list[Name]:
    """Names a translation must carry over: a lone capitalised word opening a sentence is left out, since
    the lexicon misses many ordinary words ("Vervolgens", "Hierdoor") and a sentence-opening name
    that went missing still shows as a name the translation lacks or adds mid-sentence."""
    return [name for name in names if not name.opener]


def check_translation(
    source: str, output: str, source_lang: Lang = "nl", output_lang: Lang = "en"
) -> list[Finding]:
    """Facts of ``source`` missing from ``output``, then facts of ``output`` that ``source`` lacks."""
    source_side = Side.of([(source, source_lang)])
    output_side = Side.of([(output, output_lang)])
    return [
        *_fact_findings(
            source_side.facts, output_side, "{kind} {text!r} of the source is missing", counted=True
        ),
        *_name_findings(
            _sure(extract_names(source, source_lang)),
            source_lang,
            output_side,
            "name {text!r} of the source is missing",
            every=False,
        ),
        *_fact_findings(output_side.facts, source_side, "{kind} {text!r} is not in the source", counted=True),
        *_name_findings(
            _sure(extract_names(output, output_lang)),
            output_lang,
            source_side,
            "name {text!r} is not in the source",
            every=True,
        ),
    ]


def unsupported(claim: str, evidence: Sequence[tuple[str, Lang]], claim_lang: Lang = "en") -> list[Finding]:
    """Facts of ``claim`` (a bullet, a headline) that no text of ``evidence`` supports."""
    side = Side.of(evidence)
    return [
        *_fact_findings(
            extract_facts(claim, claim_lang), side, "{kind} {text!r} is not in the article", counted=False
        ),
        *_name_findings(
            extract_names(claim, claim_lang),
            claim_lang,
            side,
            "name {text!r} is not in the article",
            every=True,
        ),
    ]
