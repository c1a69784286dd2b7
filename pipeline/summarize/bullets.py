"""Turning what small summarisation models write into clean bullets and headlines.

Small instruction models number the list, wrap it in "Here are the key points:" and "Let me know
if...", bold labels, repeat a point, wrap a bullet over two lines or forget line breaks (flan-t5 has
no newline in its vocabulary, so its lists come on one line). The parsers undo that and say in
``flags`` what a caller may want to record. Lines *about* the answer (preambles, closers, labels,
echoes of the prompt) are dropped silently; content outside the list only with a flag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.text.segment import ENGLISH_ABBREVIATIONS, split_english_sentences


@dataclass(frozen=True)
class BulletResult:
    bullets: list[str]
    flags: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class HeadlineResult:
    headline: str
    flags: list[str] = field(default_factory=list)


# Chat and seq2seq special tokens that leak when a caller decodes without skip_special_tokens.
_SPECIAL = re.compile(r"<\|[a-z_]+\|>|</?s>|<pad>|<unk>")
_HEADING = re.compile(r"^#{1,6}\s")
# A list marker at the start of a line: -, *, •, –, +, "1.", "1)", "(1)". "-" may lack its space
# before a capital ("-The storm"), which small models write now and then.
_MARKER = re.compile(r"^(?:[-*•–—+·▪●◦‣]\s+|[•▪●◦‣]|-(?=[A-Z])|\(?\d{1,2}[.)]\s+|\(\d{1,2}\)\s*)")
# Numbers of an inline list ("1. A 2. B"); the capital after them keeps "at 2. pm" out.
_INLINE_NUMBER = re.compile(r"(?:^|(?<=[\s:]))\(?(\d{1,2})[.)]\s+(?=[A-Z0-9\"“‘'(*])")
_QUOTES = "\"“”„‟«»‹›'‘’‚"
_DOUBLE_QUOTES = '"“”„‟«»'
_META = re.compile(
    r"""^(?:
        (?:sure|certainly|of\ course|okay|ok|absolutely|alright)\s*[!,.:]
      | here(?:\ is|\ are|'s|’s)\b | below\ (?:is|are)\b
      | the\ following\ (?:is|are|key|main|bullet|points|summary)\b
      | (?:i|we)\ (?:hope|have|'ve|’ve|can|will|'ll|’ll)\b | hope\ (?:this|that|it)\b
      | let\ me\ know\b | feel\ free\b | if\ you\ (?:need|want|have|would|'d|’d)\b
      | please\ (?:let|note|feel)\b | note\s*: | as\ requested\b
      | (?:this|these|my)\ (?:summary|summaries|list|bullets?|bullet\ points|points|headlines?|titles?)\b
      | (?:(?:key|main)\ (?:points|facts|takeaways)|bullet\ points|summary|highlights|takeaways)\s*:?\s*$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
# A label in front of the content ("Summary: ...", "Bullet 2: ..."): the label goes, the text stays.
_LABEL = re.compile(
    r"^(?:(?:key|main)\ (?:points?|facts?)|summary|bullet(?:\ point)?s?|points?|in\ short)\s*\d*\s*:\s*",
    re.IGNORECASE | re.VERBOSE,
)
# "Headline: X", "Title - X"; a dash only with spaces, so "Answer-seeking parents" keeps its word.
_HEADLINE_LABEL = re.compile(
    r"^(?:(?:new|rewritten|suggested|english|proposed|possible)\s+)?(?:headline|title|answer)\s*\d*"
    r"(?::|\s+[–—-])\s*",
    re.IGNORECASE,
)
# The model repeating the prompt ("Current title: ...", "Article: ...") rather than answering it.
_ECHO = re.compile(r"^(?:(?:current|original)\s+(?:title|headline)|article|text)\s*:", re.IGNORECASE)
# Recap openers of a prose summary: the sentence is content, the opener is not.
_RECAP = re.compile(r"^(?:in summary|in conclusion|to sum up|to summari[sz]e|in short),\s*", re.I)
_END_PUNCT = re.compile(r"[.!?…][\"”’')\]]*$")


def parse_bullets(text: str, n: int) -> BulletResult:
    """The first ``n`` distinct bullets of a model's answer, cleaned; prose is split into sentences."""
    lines = _lines(text)
    flags: list[str] = []
    if any(_MARKER.match(line.strip()) for line in lines):
        bullets, outside = _list_items(lines)
        if outside:
            flags.append(f"ignored {outside} line{'s' if outside > 1 else ''} outside the list")
    else:
        bullets = _prose_bullets(lines)
        if bullets:
            flags.append("model wrote prose, not a list; made bullets from its sentences")
    return _finish(bullets, n, flags, "model gave {got} of {n} bullets", "model gave {got} bullets")


def bullets_from_summary(text: str, n: int) -> BulletResult:
    """Bullets from a summary-only model's prose (distilbart-cnn, pegasus): one per sentence."""
    # CNN/DailyMail-trained models put spaces before punctuation and pegasus writes "<n>" for a newline.
    text = re.sub(r"\s+([.,;:!?])(?=\s|$)", r"\1", text.replace("<n>", "\n"))
    lines = [_MARKER.sub("", line.strip()) for line in _lines(text)]
    return _finish(
        _prose_bullets(lines), n, [], "summary gave {got} of {n} bullets", "summary had {got} sentences"
    )


def parse_headline(text: str, max_words: int = 12) -> HeadlineResult:
    """The headline in a model's answer: one line, no label, quotes, markdown or final period."""
    candidates: list[str] = []
    for raw in _lines(text):
        line = _clean(_HEADING.sub("", _MARKER.sub("", raw.strip())))
        line = _after_preamble(line)
        if _ECHO.match(line):
            continue
        while _HEADLINE_LABEL.match(line):
            line = _HEADLINE_LABEL.sub("", line, count=1)
        if line and not _META.match(line):
            candidates.append(line)
    if not candidates:
        return HeadlineResult("", ["model gave no headline"])
    flags = []
    if len(candidates) > 1:
        flags.append(f"model gave {len(candidates)} lines; kept the first")
    headline = candidates[0]
    sentences = split_english_sentences(headline)
    if len(sentences) > 1 and len(sentences[0].split()) >= 3:
        headline = sentences[0]
        flags.append("headline had several sentences; kept the first")
    headline = _strip_quotes(_strip_final_period(_strip_quotes(headline))).rstrip(",;: ")
    headline = _strip_final_period(headline)
    if not headline:
        return HeadlineResult("", ["model gave no headline"])
    words = headline.split()
    if len(words) > 2 * max_words:
        # A runaway answer is no headline; keep the opening words rather than a paragraph.
        flags.append(f"headline had {len(words)} words; kept the first {2 * max_words}")
        headline = " ".join(words[: 2 * max_words]).rstrip(",;:")
    elif len(words) > max_words:
        flags.append(f"headline has {len(words)} words (asked for at most {max_words})")
    return HeadlineResult(headline, flags)


def _lines(text: str) -> list[str]:
    text = _SPECIAL.sub("", text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    lines: list[str] = []
    for line in text.split("\n"):
        lines.extend(_split_inline(line.rstrip()))
    return lines


def _split_inline(line: str) -> list[str]:
    """One line holding a whole list ("1. A 2. B", "- A - B", "• A • B") as one line per item."""
    starts: list[int] = []
    expected = 1
    for m in _INLINE_NUMBER.finditer(line):
        number = int(m.group(1))
        if number == expected or (not starts and not line[: m.start()].strip()):
            starts.append(m.start())
            expected = number + 1
    head, space = line.lstrip()[:1], line.lstrip()[1:2]
    if len(starts) < 2 and space.isspace() and head in ("•", "*", "▪", "●"):
        starts = [m.start() + 1 for m in re.finditer(rf"\s{re.escape(head)}\s", line)]
    elif len(starts) < 2 and space.isspace() and head in ("-", "–"):
        # A dash is also punctuation ("the club - founded in 1900 -"): split only before a capital.
        starts = [m.start() + 1 for m in re.finditer(rf"\s{head}\s+(?=[A-Z\"“‘])", line)]
    elif len(starts) < 2:
        return [line]
    if not starts:
        return [line]
    starts = [0, *starts] if line[: starts[0]].strip() else starts
    return [line[a:b].strip() for a, b in zip(starts, [*starts[1:], len(line)], strict=True)]


def _list_items(lines: list[str]) -> tuple[list[str], int]:
    """Items of a marked list, wrapped lines joined; also how many content lines were outside it."""
    items: list[list[str]] = []
    open_item = False
    outside = 0
    for raw in lines:
        line = raw.strip()
        if not line or _HEADING.match(line):
            open_item = False
            continue
        marker = _MARKER.match(line)
        body = _clean(line[marker.end() :] if marker else line)
        title_only = bool(re.fullmatch(r"\*\*[^*]+\*\*:?", line[marker.end() :].strip())) if marker else False
        if marker:
            if body and not _is_meta(body):
                items.append([body + (":" if title_only and not body.endswith(":") else "")])
                open_item = True
            else:
                open_item = False
        elif not body or _is_meta(body):
            open_item = False
        elif open_item and (raw[:1].isspace() or _continues(items[-1][-1], body)):
            items[-1].append(body)
        else:
            outside += 1
            open_item = False
    bullets = []
    for parts in items:
        text = " ".join(parts)
        # A label that nothing followed ("Storm damage:") was a heading, not a bullet.
        if not (len(parts) == 1 and text.endswith(":")):
            bullets.append(_tidy(text))
    return [b for b in bullets if b], outside


def _prose_bullets(lines: list[str]) -> list[str]:
    units: list[str] = []
    joinable = False
    for raw in lines:
        line = _clean(_HEADING.sub("", raw.strip()))
        line = _after_preamble(line)
        if not line or _is_meta(line) or (line.endswith(":") and len(line.split()) <= 12):
            joinable = False
            continue
        # Hard-wrapped prose: a line without final punctuation followed by a lower-case word.
        if joinable and units and _continues(units[-1], line):
            units[-1] += " " + line
        else:
            units.append(line)
        joinable = True
    sentences: list[str] = []
    for unit in units:
        for sentence in split_english_sentences(unit):
            sentence = _tidy(sentence)
            # Fragments ("Again.") belong to the sentence before them.
            if sentences and len(sentence.split()) < 3:
                sentences[-1] += " " + sentence
            elif sentence:
                sentences.append(sentence)
    return sentences


def _finish(bullets: list[str], n: int, flags: list[str], fewer: str, more: str) -> BulletResult:
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    seen: set[str] = set()
    unique = []
    for bullet in bullets:
        key = re.sub(r"[\W_]+", "", bullet.casefold())
        if key and key not in seen:
            seen.add(key)
            unique.append(bullet)
    if len(unique) < len(bullets):
        removed = len(bullets) - len(unique)
        flags.append(f"removed {removed} duplicate bullet{'s' if removed > 1 else ''}")
    got = len(unique)
    if got < n:
        flags.append(fewer.format(got=got, n=n))
    elif got > n:
        flags.append(more.format(got=got, n=n) + f"; kept the first {n}")
    # Every bullet but the last ends a sentence: the model most likely ran out of new tokens.
    ends = [bool(_END_PUNCT.search(b)) for b in unique]
    if 2 <= got <= n and all(ends[:-1]) and not ends[-1]:
        flags.append("the last bullet looks cut off; raise max_new_tokens")
    return BulletResult(unique[:n], flags)


def _is_meta(line: str) -> bool:
    """A line about the answer, or an echo of the prompt, rather than a point of the article."""
    return bool(_META.match(line) or _ECHO.match(line) or re.match(r"(?:title|headline)\s*:", line, re.I))


def _continues(previous: str, line: str) -> bool:
    return previous.endswith((":", ",")) or (not _END_PUNCT.search(previous) and line[:1].islower())


def _after_preamble(line: str) -> str:
    """The content after "Sure! Here are the key points:" on the same line, or the line itself."""
    m = re.match(r"^(.{0,160}?):\s+(\S.*)$", line)
    if m and _META.match(m.group(1) + ":"):
        return m.group(2)
    return _LABEL.sub("", line, count=1)


def _clean(text: str) -> str:
    """Markdown (bold, italics, code, links) and runs of spaces out; the words stay."""
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])", r"\1", text)
    text = text.replace("**", "").replace("`", "")
    return re.sub(r"\s+", " ", text).strip()


def _tidy(bullet: str) -> str:
    bullet = _strip_quotes(_LABEL.sub("", _clean(bullet), count=1))
    bullet = _RECAP.sub("", bullet)
    return bullet[:1].upper() + bullet[1:]


def _strip_quotes(text: str) -> str:
    text = text.strip()
    while len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        inner = text[1:-1]
        # '"A" and "B"' is not one quoted string: only strip when the quotes occur nowhere inside.
        if text[0] in inner or text[-1] in inner:
            break
        text = inner.strip()
    # A quote left open or closed alone, as when the model stopped early; apostrophes ("players'") stay.
    if text[:1] in _DOUBLE_QUOTES and not any(q in text[1:] for q in _DOUBLE_QUOTES):
        text = text[1:].strip()
    if text[-1:] in _DOUBLE_QUOTES and not any(q in text[:-1] for q in _DOUBLE_QUOTES):
        text = text[:-1].strip()
    return text


def _strip_final_period(text: str) -> str:
    text = text.strip()
    if not text.endswith(".") or text.endswith(".."):
        return text
    last = text.split()[-1]
    # "U.S." and "Inc." keep their period: it belongs to the word.
    if re.fullmatch(r"(?:[A-Za-z]\.){2,}", last) or last[:-1].lower() in ENGLISH_ABBREVIATIONS:
        return text
    return text[:-1].rstrip()
