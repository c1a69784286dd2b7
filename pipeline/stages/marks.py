"""The words of the checks as a reader sees them: the mark beside a flagged bullet, headline or sentence,
where a bullet comes from, and the one-line verdict of an article's checks.

The article pages (Markdown and HTML) and the briefing say the same things in the same words; each page
escapes them its own way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pipeline.checks.findings import Finding
from pipeline.checks.summary import TITLE, ClaimCheck, Link
from pipeline.text.plural import counted

CHECK_LABEL = "Check"  # the word before every mark: a mark is read, not only seen (not colour alone)


def reason(findings: Iterable[Finding]) -> str:
    """What is wrong, in one line: the warnings' messages, each once ("… is missing (2 times)")."""
    counts: dict[str, int] = {}
    for finding in findings:
        if finding.warning:
            counts[finding.message] = counts.get(finding.message, 0) + 1
    return "; ".join(message + (f" ({n} times)" if n > 1 else "") for message, n in counts.items())


def mark(findings: Iterable[Finding]) -> str:
    """The text beside a flagged item: "Check: number '26' is not in the article"; "" when not flagged."""
    text = reason(findings)
    return f"{CHECK_LABEL}: {text}" if text else ""


def place(link: Link) -> str:
    """ "paragraph 2, sentence 1" (as the findings of a translation say where they are)."""
    where = "the title" if link.paragraph == TITLE else f"paragraph {link.paragraph + 1}"
    return f"{where}, sentence {link.sentence + 1}"


def anchor(paragraph: int) -> str:
    """The id of a paragraph's row on the article page: "title", "p1", "p2", ..."""
    return "title" if paragraph == TITLE else f"p{paragraph + 1}"


def sources_text(links: Sequence[Link]) -> str:
    """ "From paragraph 2, sentence 1." for a bullet's evidence; "" when no sentence supports it."""
    return "From " + " and ".join(place(link) for link in links) + "." if links else ""


def verdict(
    sentences: int, sentences_flagged: int, claims: Sequence[ClaimCheck], dropped: int, translated: bool
) -> str:
    """One line for the top of a page: what the checks flagged, or that they found nothing to flag."""
    flagged_claims = sum(1 for claim in claims if claim.flagged)
    parts = []
    if translated and sentences_flagged:
        parts.append(f"{sentences_flagged} of {counted(sentences, 'sentence')} of the translation")
    if flagged_claims:
        parts.append(f"{flagged_claims} of {len(claims)} summary lines (headline and key points)")
    said = f"Checks flagged {' and '.join(parts)}; see the marks below." if parts else ""
    if not parts:
        checked = "the translation and the summary" if translated else "the summary"
        said = (
            f"Checks found nothing to flag in {checked}: every number, date and name they hold was found "
            "in the source. That does not prove them right."
        )
    if dropped:
        said += f" {counted(dropped, 'key point')} left out: a fact in it was not in the article."
    return said
