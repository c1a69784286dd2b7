"""Signs that a translation broke, whatever its facts: <unk> written, far too short or long, cut off at
its length bound, a phrase looping.

The length bounds come from the professional translations of FLORES-200 devtest (1012 pairs) and
NTREX-128 (1997 pairs), Dutch into English (`../shared/data/parallel/`, measured 2026-12): English
characters per Dutch character have a median of 0.88 and lie between 0.31 and 1.63 over all 3009 pairs;
for sources of 80 characters or more, between 0.47 and 1.38 (0.1th to 99.9th percentile 0.48 to 1.33).
Short sources vary most ("Ja." and "Yes."), so the bounds widen by a fixed number of characters. With
the bounds below (ratio 0.45 to 1.60, widened by 4 and 8 characters), one pair of the 3009 is flagged,
and rightly: its English says a third of what its Dutch sentence says. Of their translations with the
second half of the words dropped, about half are flagged (1563 of 2929 with six words or more; the facts
lost with the dropped half are the fact checks' to find), and of those said twice over, all but one.
"""

from __future__ import annotations

import re

from pipeline.checks.findings import Finding, Kind, Severity

MIN_RATIO = 0.45  # English characters per Dutch character, at least (less a slack for short sources)
MAX_RATIO = 1.60
# Characters the bounds widen by, below and above: short sources vary the most.
SHORT_SLACK = (4, 8)
# A phrase of up to LOOP_SPAN words said LOOP_TIMES times in a row is a loop, unless the source repeats too.
LOOP_SPAN = 6
LOOP_TIMES = 3
WORD = re.compile(r"\w+(?:['’]\w+)*")
# Findings only the model's raw output shows: a translation's text cannot tell them again.
MODEL_SIGNS = frozenset({Kind.UNKNOWN, Kind.CUT_OFF})


def length_finding(source: str, output: str) -> Finding | None:
    """A finding when ``output`` is far shorter or longer than a translation of ``source`` can be."""
    n, m = len(source.strip()), len(output.strip())
    if not n:
        return None
    if m < MIN_RATIO * n - SHORT_SLACK[0]:
        message = f"the translation is far shorter than the source ({m} characters for {n}): text may be lost"
    elif m > MAX_RATIO * n + SHORT_SLACK[1]:
        message = (
            f"the translation is far longer than the source ({m} characters for {n}): text may be invented"
        )
    else:
        return None
    return Finding(Kind.LENGTH, Severity.WARNING, output.strip()[:80], message)


def _loop(words: list[str]) -> str | None:
    """The first phrase said LOOP_TIMES times in a row, or a text said twice over ("Hello. Hello.")."""
    for span in range(1, LOOP_SPAN + 1):
        for start in range(len(words) - span * LOOP_TIMES + 1):
            phrase = words[start : start + span]
            if all(words[start + k * span : start + (k + 1) * span] == phrase for k in range(1, LOOP_TIMES)):
                return " ".join(phrase)
    half = len(words) // 2
    if len(words) >= 2 and len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half])
    return None


def loop_finding(source: str, output: str) -> Finding | None:
    """A finding when ``output`` loops and ``source`` does not ("1, 1, 1" may be right in both)."""
    phrase = _loop([w.casefold() for w in WORD.findall(output)])
    if phrase is None or _loop([w.casefold() for w in WORD.findall(source)]) is not None:
        return None
    return Finding(Kind.LOOP, Severity.WARNING, phrase, f"the translation repeats {phrase!r} over and over")


def model_findings(unknown: int, cut_off: bool) -> list[Finding]:
    """What only the model's raw output shows: <unk> tokens (decoding drops them silently) and an
    output that ran into its length bound (the rest of the sentence may be missing)."""
    found = []
    if unknown:
        found.append(
            Finding(
                Kind.UNKNOWN,
                Severity.WARNING,
                "<unk>",
                f"the model wrote {unknown} unknown token{'s' * (unknown > 1)} (<unk>), dropped from the "
                "text: a character or word of the source may be missing",
            )
        )
    if cut_off:
        found.append(
            Finding(
                Kind.CUT_OFF,
                Severity.WARNING,
                "",
                "the translation ran into its length bound: the end of the sentence may be missing",
            )
        )
    return found


def output_findings(source: str, output: str) -> list[Finding]:
    """The signs the two texts alone show: length and loops."""
    return [f for f in (length_finding(source, output), loop_finding(source, output)) if f is not None]
