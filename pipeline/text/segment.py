"""Sentence segmentation: the one home of nlbrief's sentence splitters, Dutch and English.

Dutch, for paragraphs of news text (:func:`sentence_spans`, :func:`split_sentences`):
translation models work best one sentence at a time, and a wrong split costs more
than a missed one: a sentence cut after "dhr." or "J.P." is translated as two
broken fragments. So the rules below prefer not splitting when a period is more
likely part of an abbreviation, an initial or a number. This segmenter returns
character spans rather than strings so that callers can prove nothing was dropped
or reordered: only whitespace ever lies outside spans.

Two simpler variants serve other jobs and keep their own rules, since they see other text:

* :func:`split_english_sentences`: what a summarisation model wrote (English prose, on one line or
  several), for making bullets from it; it knows English abbreviations (``ENGLISH_ABBREVIATIONS``).
* :func:`begins_sentence`: whether a position in an article (Dutch or English, title first) is the
  start of a sentence, for telling a name from a capitalised sentence opener; it reads line
  structure (blank lines, list bullets) and counts ``:`` and ``;`` as ends.
"""

from __future__ import annotations

import re

from pipeline.text.wordlists import wordset

# Abbreviations (lower case, without the final period) after which a period does not
# end the sentence, even before a capital: they introduce a name, a number or more text.
# Dotted ones made of single letters ("d.w.z") are also caught by _INITIALS; they are
# listed for the reader. Words that are also ordinary Dutch words ("op", "lid", "bijl")
# or units that often end a sentence ("cm", "gr") are left out on purpose.
_NONFINAL_ABBREVIATIONS = wordset(
    """
    a.d aanv adj adv afb afd afk alg arr art
    b.a b.b b.d b.v bgg bijv bijz blz bv bw
    c.a c.q ca cf cie co col comm
    d.d d.i d.m.v d.w.z dd dhr dir div dr dra drs ds
    e.e.a e.g ed eerw eig evt excl
    fa fig fr
    gebr geb gem gest
    h.h hh hfd hfdst hr
    i.c i.e i.h.a i.o i.p.v i.s.m i.t.t i.v.m ihb ing ir incl inl inz
    jhr jkvr joh
    kand kap kol kr
    l.b lett lt
    m.a.w m.b.t m.b.v m.i m.i.v m.n m.m.v m.u.v maj mej mevr mgr mr mw
    n.a.v n.b n.v.t nl nr nrs
    o.a o.b.v o.i o.i.d o.l.v o.m o.v.v ong
    p.a p.p pag par pg plm pnt pres prof prov ps
    r.k ref resp
    sgt st str
    t.a.v t.b.v t.g.v t.h.v t.o.v t.w tgv th tm tav tov
    v.c.q v.d v.h v.l.n.r v.v versch vgl vnl vlg vs
    w.o wo
    z.g.a.n z.i z.o.z zg zgn zn
    """
)

# Abbreviations that often end a sentence ("... appels, peren enz."): a period after
# them ends the sentence only when a capitalised word follows, not before a number.
_FINAL_ABBREVIATIONS = wordset(
    """
    a.s a.u.b chr e.a e.d e.o e.v enz etc jl jr max min mld mln mrd pct s.v.p sr t.z.t z.s.m
    jan feb febr mrt apr jun jul aug sep sept okt oct nov dec
    """
)

# Terminal punctuation; what may follow it (closing quotes, brackets) is found by _closers_end.
_TERMINAL = re.compile(r"(?:\.\.\.|…|[.!?])+")
_ATTACHED_CLOSER = re.compile(r"[\"”’'»)\]]+")
# Closers that may stand after a space: ",, Tekst. ''" and "« Tekst. »". A spaced straight
# double quote is closing only when one is open (checked in _closers_end).
_SPACED_CLOSER = re.compile(r"[ \t]*(?:''|»|”)(?=\s|$)")
_SPACED_DOUBLE = re.compile(r'[ \t]*"(?=\s|$)')
_ENUMERATOR = re.compile(r"[(\[]?(?:\d{1,3}|[A-Za-z]|[IVXLC]{1,6})[)\]]?")
_CLITIC = re.compile(r"['‘’]([stn])\s+(\S)")  # "'s Avonds", "'t Is"
_FIRST_WORD = re.compile(r"\w*")
_OPENERS = "\"'„“‘«([,¿¡-–— "
_NUMBER = re.compile(r"\d[\d.,]*")
# Initials and dotted abbreviations: "W", "J.P", "d.w.z", "Th.J". Not "nu.nl" (a domain).
_INITIALS = re.compile(r"(?:[A-Za-zÀ-ÿ]\.)*[A-Za-zÀ-ÿ]|[A-Z][a-z]?(?:\.[A-Z][a-z]?)+")
# Words that start sentences but are never part of a name: after a single letter and a
# period ("... als in A = B. Hij ...") they show the letter was not an initial. Surname
# particles (De, Van, Ten, ...) are deliberately absent: "J. De Smet".
_STARTERS = wordset(
    """
    hij zij ze het een maar dit dat deze die dan daar daarna daarom daardoor er ik wij we
    jij je u zo toen ook als in op om met na bij wat wie waar hoe waarom nu nog niet geen
    en of want dus toch wel verder bovendien volgens sinds tijdens hierdoor hiermee
    """
)


def _closers_end(text: str, pos: int) -> int:
    """Extend a sentence end over its closing quotes and brackets.

    They belong to the sentence they close, so a translation never starts with one.
    """
    while True:
        m = _ATTACHED_CLOSER.match(text, pos) or _SPACED_CLOSER.match(text, pos)
        if not m:
            m = _SPACED_DOUBLE.match(text, pos)
            if not m or text.count('"', 0, pos) % 2 == 0:
                return pos
        pos = m.end()


def _abbreviation_kind(word: str) -> str:
    """Classify the word before a period, because that is what makes a period ambiguous.

    Returns "nonfinal" (never ends a sentence), "final" (may end one) or "" (an
    ordinary word).
    """
    core = word.lstrip(_OPENERS)
    low = core.lower()
    if not core:
        return ""
    if low in _FINAL_ABBREVIATIONS and not (core.isupper() and len(core) > 1):
        return "final"
    if core.isupper() and len(core) > 1 and "." not in core:
        return ""  # "VS", "NAVO": acronyms, not abbreviations
    if low in _NONFINAL_ABBREVIATIONS or low == "t/m":
        return "nonfinal"
    if _INITIALS.fullmatch(core) and low != "u":
        return "nonfinal"
    return ""


def _starts_sentence(rest: str) -> bool:
    """Whether the text after a candidate end looks like the start of a sentence.

    Dutch sentences start with a capital, a digit, or a quote/bracket before one;
    "'s" and "'t" are lower case but start sentences ("'s Avonds ...").
    """
    m = _CLITIC.match(rest)
    if m:
        return m.group(2).isupper()
    if rest[0] in "([":
        return True
    stripped = rest.lstrip(_OPENERS + "’”")
    if not stripped:
        return True
    return stripped[0].isupper() or stripped[0].isdigit()


def _is_boundary(text: str, begin: int, start: int, end: int) -> bool:
    """Decide whether the punctuation text[start:end] ends the sentence begun at ``begin``."""
    if end < len(text) and not text[end].isspace():
        return False
    rest = text[end:].lstrip()
    if not rest or not _starts_sentence(rest):
        return False
    if text[start] in "!?…" or text.startswith("..", start):
        return True
    if _ENUMERATOR.fullmatch(text[begin:start].strip()):
        return False  # "1. Eerste punt": a list marker is not a sentence
    word_start = start
    while word_start > begin and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:start]
    kind = _abbreviation_kind(word)
    if kind == "nonfinal":
        # A lone letter before a sentence-starting word was a symbol, not an initial.
        first_word = _FIRST_WORD.match(rest)  # \w* matches everywhere, if only the empty string
        next_word = first_word.group(0).lower() if first_word else ""
        return len(word.lstrip(_OPENERS)) == 1 and next_word in _STARTERS
    first = rest.lstrip(_OPENERS)[:1]
    if first.isdigit():
        # "5 sept. 2025", "nr. 4": a digit after a number or abbreviation continues it.
        return not kind and not _NUMBER.fullmatch(word)
    if kind == "final":
        return first.isupper()
    return True


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of one paragraph.

    Spans, not strings, so callers can check that only whitespace lies outside them:
    nothing is dropped or reordered, whatever the input looks like.
    """
    spans: list[tuple[int, int]] = []
    begin = 0
    for m in _TERMINAL.finditer(text):
        end = _closers_end(text, m.end())
        if _is_boundary(text, begin, m.start(), end):
            spans.append((begin, end))
            begin = end
    spans.append((begin, len(text)))
    result = []
    for a, b in spans:
        segment = text[a:b]
        a += len(segment) - len(segment.lstrip())
        b -= len(segment) - len(segment.rstrip())
        if a < b:
            result.append((a, b))
    return result


def split_sentences(text: str) -> list[str]:
    """The sentences of one paragraph, for callers that only need the strings."""
    return [text[a:b] for a, b in sentence_spans(text)]


def segment_paragraphs(paragraphs: list[str]) -> list[list[str]]:
    """Sentences per paragraph, keeping paragraph structure for later reassembly."""
    return [split_sentences(p) for p in paragraphs]


# --- English model output --------------------------------------------------------------------------

# A sentence end: terminal punctuation and its closers, then a space before what starts a sentence.
_ENGLISH_END = re.compile(r"[.!?…]+[\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9€$£])")
# Lower case, without the final period: a period after them does not end the sentence.
ENGLISH_ABBREVIATIONS = wordset(
    """mr mrs ms dr prof st no nos vs gen col lt sgt rep sen gov inc ltd co corp jr sr
    approx fig ca jan feb mar apr jun jul aug sep sept oct nov dec"""
)


def split_english_sentences(text: str) -> list[str]:
    """The sentences of English prose, stripped, without empty ones; no split after an abbreviation
    (``ENGLISH_ABBREVIATIONS``) or inside dotted initials ("U.S.")."""
    sentences, start = [], 0
    for m in _ENGLISH_END.finditer(text):
        word = text[start : m.start()].split()[-1:] or [""]
        token = word[0].lstrip("\"“‘'([") + m.group().rstrip()[:1]
        if m.group().startswith(".") and (
            re.fullmatch(r"(?:[A-Za-z]\.)+", token) or token[:-1].lower() in ENGLISH_ABBREVIATIONS
        ):
            continue
        sentences.append(text[start : m.end()].strip())
        start = m.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


# --- sentence starts in an article -----------------------------------------------------------------

# Characters that may stand between a sentence end and the next word: spaces, quotes,
# brackets, dashes and list bullets.
_START_OPENERS = " \t\r\"'“”‘’„«»‹›([{-–—*•#>"
_BULLETS = "-–—*•#>"


def begins_sentence(text: str, start: int, first_newline: int) -> bool:
    """Whether the word at `start` may be capitalised only because it begins a sentence.

    A sentence begins after ., !, ? or :, after a blank line, at a list bullet on a new line,
    and after the first line (the title, which has no full stop; it ends at ``first_newline``).
    A single newline elsewhere is taken as line wrapping, not as a sentence end.
    """
    i = start
    newlines = 0
    bullet = False
    while i > 0 and (text[i - 1] in _START_OPENERS or text[i - 1] == "\n"):
        i -= 1
        if text[i] == "\n":
            newlines += 1
            if i == first_newline:
                newlines += 1  # the end of the title counts as a paragraph break
        elif newlines == 0 and text[i] in _BULLETS:
            bullet = True  # a list bullet if a newline precedes it, a dash otherwise
    if i == 0 or text[i - 1] in ".!?:;…":
        return True
    return newlines >= 2 or (newlines == 1 and bullet)
