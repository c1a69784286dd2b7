"""A small language check: is this Dutch, English, or something else?

Only three answers matter here: Dutch is translated, English is passed through, anything
else is refused with a message. Counting very frequent function words is enough for that
on news text, needs no model and no download, and is instant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The most frequent function words of each language, minus words the languages share
# ("in", "is", "was", "de" in English names...). Hand-picked for news text.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "nl": _words(
        """
        de het een en van dat niet zijn op te met voor er maar om ook als bij dan nog wel naar uit
        worden door hij ze zij wordt werd heeft hebben geen meer over tot kan moet zou deze dit die wat
        wie waar omdat zich onder tegen na zei volgens jaar tussen alleen tijdens heel hun haar ons onze
        mijn wij jullie
        """
    ),
    "en": _words(
        """
        the and of to a that it with for on as are be by this from at or have has had not but which they
        their were been would will could should there what who when about into than its also after said
        year between only during very our we you
        """
    ),
    "de": _words(
        """
        der die das und ist nicht mit sich auf für ein eine dem den des auch nach wird bei einer um am
        sind noch wie einem über einen so zum war haben nur oder aber vor zur bis mehr durch man sie
        """
    ),
    "fr": _words(
        """
        le la les et des du un une est que qui pas pour dans sur au avec il elle ce sont par plus ne se
        mais ou leur aux été cette
        """
    ),
    "es": _words(
        """
        el la los las y del que en un una es por con para no se su al lo como más pero sus le ha este sí
        porque esta entre cuando muy sin sobre también
        """
    ),
}

# How messages name the languages the check tells apart.
LANGUAGE_NAMES = {"de": "German", "fr": "French", "es": "Spanish", "en": "English", "nl": "Dutch"}

WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
# Below this many function-word hits the text is too short to judge: say "unknown" rather than guess.
MIN_HITS = 3


@dataclass(frozen=True)
class LanguageGuess:
    language: str  # "nl", "en", "de", "fr", "es" or "unknown"
    confidence: float  # share of function-word hits that went to the winner
    hits: int


def detect_language(text: str, sample_chars: int = 20_000) -> LanguageGuess:
    """Guess the language of ``text`` from function-word counts (first ``sample_chars`` only)."""
    words = [w.lower() for w in WORD.findall(text[:sample_chars])]
    counts = {lang: sum(1 for w in words if w in vocab) for lang, vocab in FUNCTION_WORDS.items()}
    total = sum(counts.values())
    if total < MIN_HITS:
        return LanguageGuess("unknown", 0.0, total)
    best = max(counts, key=lambda lang: counts[lang])
    return LanguageGuess(best, counts[best] / total, counts[best])


def looks_english(text: str) -> bool:
    """Strictly English: enough evidence, and clearly more English than Dutch."""
    guess = detect_language(text)
    return guess.language == "en" and guess.hits >= MIN_HITS + 1 and guess.confidence >= 0.7
