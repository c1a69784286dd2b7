"""A summary held against its article: every fact of a bullet or the headline must be in the article,
and each bullet is linked to the sentences that support it best.

The article is given as its sentences, each with its place (paragraph and sentence index) and, for a
translated article, the Dutch it came from: a fact is supported when the English or the Dutch holds it
(through the same normalisation as the translation checks), so a fact the translation lost is not
blamed on the summary. ``--unsupported drop`` removes a bullet with an unsupported fact and says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pipeline.checks.compare import unsupported
from pipeline.checks.facts import extract_facts
from pipeline.checks.findings import Finding, findings_from_json, findings_to_json, flagged
from pipeline.checks.lexicon import fold
from pipeline.checks.warm import wait_for_tables
from pipeline.errors import UnknownChoiceError
from pipeline.text.wordlists import ENGLISH_STOPWORDS

UNSUPPORTED_POLICIES = ("flag", "drop")
TITLE = -1  # the paragraph index of the title
CONTENT_WORD = re.compile(r"[^\W\d_]{3,}")
# A sentence supports a claim when it shares this much of the claim's content words and facts, and it is
# among the best when it scores this share of the best one.
MIN_SUPPORT = 0.2
NEAR_BEST = 0.6
MAX_LINKS = 2
FACT_WEIGHT = 2  # a shared number or date says more than a shared word


@dataclass(frozen=True)
class EvidenceSentence:
    paragraph: int  # index among the article's paragraphs; TITLE for the title
    sentence: int  # index in its paragraph
    english: str
    dutch: str = ""  # the source it was translated from; "" for an article given in English


@dataclass(frozen=True)
class Link:
    """A sentence of the article that supports a claim, and how well (share of its words and facts)."""

    paragraph: int
    sentence: int
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"paragraph": self.paragraph, "sentence": self.sentence, "score": round(self.score, 3)}


@dataclass
class ClaimCheck:
    """One bullet or headline: its text, what is unsupported in it, and where it comes from."""

    text: str
    findings: list[Finding] = field(default_factory=list)
    evidence: list[Link] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return flagged(self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "flagged": self.flagged,
            "findings": findings_to_json(self.findings),
            "evidence": [link.to_dict() for link in self.evidence],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ClaimCheck:
        links = [
            Link(int(item["paragraph"]), int(item["sentence"]), float(item.get("score", 0.0)))
            for item in data.get("evidence") or []
            if isinstance(item, dict) and "paragraph" in item and "sentence" in item
        ]
        return cls(str(data.get("text", "")), findings_from_json(data.get("findings")), links)


@dataclass
class SummaryChecks:
    headline: ClaimCheck
    bullets: list[ClaimCheck]  # the bullets kept, in order
    dropped: list[ClaimCheck] = field(default_factory=list)  # removed by --unsupported drop

    def findings(self) -> list[Finding]:
        return [f for claim in (self.headline, *self.bullets, *self.dropped) for f in claim.findings]


def check_policy(policy: str) -> str:
    if policy not in UNSUPPORTED_POLICIES:
        raise UnknownChoiceError("--unsupported", policy, UNSUPPORTED_POLICIES)
    return policy


def _content(text: str) -> set[str]:
    return {w for w in (fold(m) for m in CONTENT_WORD.findall(text)) if w not in ENGLISH_STOPWORDS}


def _facts(text: str, lang: str) -> set[str]:
    return {key for fact in extract_facts(text, lang) if not fact.weak for key in fact.keys}


@dataclass
class _Indexed:
    """The article's sentences with their words and fact keys, read once for all claims."""

    sentences: Sequence[EvidenceSentence]
    words: list[set[str]] = field(init=False)
    facts: list[set[str]] = field(init=False)

    def __post_init__(self) -> None:
        self.words = [_content(s.english) for s in self.sentences]
        self.facts = [
            _facts(s.english, "en") | (_facts(s.dutch, "nl") if s.dutch else set()) for s in self.sentences
        ]

    def links(self, claim: str) -> list[Link]:
        words, facts = _content(claim), _facts(claim, "en")
        weight = len(words) + FACT_WEIGHT * len(facts)
        if not weight:
            return []
        scored = []
        for i, sentence in enumerate(self.sentences):
            shared = len(words & self.words[i]) + FACT_WEIGHT * len(facts & self.facts[i])
            scored.append(Link(sentence.paragraph, sentence.sentence, shared / weight))
        scored.sort(key=lambda link: -link.score)
        best = scored[0].score if scored else 0.0
        return [s for s in scored[:MAX_LINKS] if s.score >= MIN_SUPPORT and s.score >= NEAR_BEST * best]


def _claim(text: str, index: _Indexed, support: list[tuple[str, str]], where: str) -> ClaimCheck:
    findings = [f.at(where) for f in unsupported(text, support)]
    return ClaimCheck(text, findings, index.links(text))


def check_summary(
    headline: str, bullets: Sequence[str], evidence: Sequence[EvidenceSentence], policy: str = "flag"
) -> SummaryChecks:
    """Each bullet and the headline against the article's sentences; with ``policy`` "drop", the bullets
    with an unsupported fact are moved to ``dropped``."""
    check_policy(policy)
    wait_for_tables()
    index = _Indexed(evidence)
    support = [
        (" ".join(s.english for s in evidence), "en"),
        (" ".join(s.dutch for s in evidence if s.dutch), "nl"),
    ]
    checked = [_claim(b, index, support, f"bullet {n}") for n, b in enumerate(bullets, start=1)]
    kept = [c for c in checked if policy == "flag" or not c.flagged]
    dropped = [c for c in checked if c not in kept]
    return SummaryChecks(_claim(headline, index, support, "headline"), kept, dropped)
