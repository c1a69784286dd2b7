"""Holding the facts of one text against another: what went missing, and what came from nowhere.

``check_translation`` compares a Dutch sentence with its English both ways: a fact of the source that
the translation lacks is missing (or changed, when a near form of a name stands in its place), and a
fact of the translation that the source lacks was added. ``unsupported`` looks one way only: the facts
of a bullet or headline that none of its evidence (the English translation or the Dutch source) holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.checks.facts import Fact, extract_facts
from pipeline.checks.findings import Finding, Kind, Severity
from pipeline.checks.lexicon import Lang, fold
from pipeline.checks.names import Name, extract_names, near_miss, place_keys, text_words, word_present


@dataclass
class Side:
    """What one text offers as support: its fact keys, its words and the places it names."""

    keys: set[str]
    words: set[str]
    places: set[str]

    @classmethod
    def of(cls, texts: Sequence[tuple[str, Lang]]) -> Side:
        side = cls(set(), set(), set())
        for text, lang in texts:
            side.keys |= {key for fact in extract_facts(text, lang) for key in fact.keys}
            words = text_words(text)
            side.words |= words
            side.places |= place_keys(words, lang)
        return side


def _fact_findings(facts: list[Fact], other: Side, message: str) -> list[Finding]:
    return [
        Finding(fact.kind, Severity.WARNING, fact.text, message.format(text=fact.text, kind=fact.kind.value))
        for fact in facts
        if not fact.weak and not fact.keys & other.keys
    ]


def _missing_words(name: Name, lang: Lang, other: Side, every: bool) -> list[str]:
    """The required words of ``name`` the other text lacks; none when the name is a place (or derived from
    one, "Roemeense") that the other text names in its own language. With ``every`` False, a name counts
    as present when one of its words is (the other text may leave out a first name or a title)."""
    if place_keys([fold(name.text).rstrip(".")], lang) & other.places:
        return []
    missing = [
        word for word in name.required
        if not word_present(word, other.words) and not place_keys([word], lang) & other.places
    ]
    return missing if every or len(missing) == len(name.required) else []


def _name_findings(names: list[Name], lang: Lang, other: Side, message: str, every: bool) -> list[Finding]:
    """A name the other text lacks is a warning; one it holds in a near form ("Ciaron" for "Ciarán") only a
    note, since names are often spelt otherwise in English ("Brzezinski", "Millar" and "Miller")."""
    findings = []
    for name in names:
        missing = [] if name.acronym else _missing_words(name, lang, other, every)
        if not missing:
            continue
        near = [hit for word in missing if (hit := near_miss(word, other.words))]
        if len(near) == len(missing):
            findings.append(Finding(Kind.NAME, Severity.NOTE, name.text, f"{name.text!r} is written {near[0]!r}"))
        else:
            findings.append(Finding(Kind.NAME, Severity.WARNING, name.text, message.format(text=name.text)))
    return findings


def _sure(names: list[Name]) -> list[Name]:
    """Names a translation must carry over: a lone capitalised word opening a sentence is left out, since
    the lexicon misses many ordinary words ("Vervolgens", "Hierdoor") and a sentence-opening name
    that went missing still shows as a name the translation lacks or adds mid-sentence."""
    return [name for name in names if not name.opener]


def check_translation(source: str, output: str, source_lang: Lang = "nl", output_lang: Lang = "en") -> list[Finding]:
    """Facts of ``source`` missing from ``output``, then facts of ``output`` that ``source`` lacks."""
    source_side = Side.of([(source, source_lang)])
    output_side = Side.of([(output, output_lang)])
    return [
        *_fact_findings(extract_facts(source, source_lang), output_side, "{kind} {text!r} of the source is missing"),
        *_name_findings(_sure(extract_names(source, source_lang)), source_lang, output_side,
                        "name {text!r} of the source is missing", every=False),
        *_fact_findings(extract_facts(output, output_lang), source_side, "{kind} {text!r} is not in the source"),
        *_name_findings(_sure(extract_names(output, output_lang)), output_lang, source_side,
                        "name {text!r} is not in the source", every=True),
    ]


def unsupported(claim: str, evidence: Sequence[tuple[str, Lang]], claim_lang: Lang = "en") -> list[Finding]:
    """Facts of ``claim`` (a bullet, a headline) that no text of ``evidence`` supports."""
    side = Side.of(evidence)
    return [
        *_fact_findings(extract_facts(claim, claim_lang), side, "{kind} {text!r} is not in the article"),
        *_name_findings(extract_names(claim, claim_lang), claim_lang, side, "name {text!r} is not in the article",
                        every=True),
    ]
