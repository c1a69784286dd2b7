"""Translating documents: sentences in, batched by length, order restored, nothing truncated.

After EasyNMT: split into sentences, sort by token length, batch under a token budget,
generate, restore the original order, rebuild the paragraphs. Sentences longer than the
model's input limit are cut at clause boundaries, then commas, then spaces (and as a last
resort inside a word), translated in parts and joined; every such split is reported.
Sentences without a letter (only numbers, symbols, emoji) are kept as they are.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from pipeline.errors import InputError
from pipeline.ingest.document import Document, Paragraph, ParagraphKind
from pipeline.run.interrupt import checkpoint
from pipeline.text.language import detect_language, looks_english
from pipeline.text.packing import pack
from pipeline.text.segment import split_sentences
from pipeline.translate.backends.contract import TranslationBackend

Progress = Callable[[int, int], None]  # (segments done, segments in all)

# Cut points, coarsest first. Whitespace at a cut is dropped; parts are rejoined with one space.
SPLIT_LEVELS = (
    re.compile(r"(?<=[;:])\s+|\s+(?=[–—]\s)"),
    re.compile(r"(?<=,)\s+"),
    re.compile(r"\s+"),
)
# Pieces encoded per call when counting the tokens of a long sentence's pieces (bounds memory).
PIECES_PER_ENCODE = 4096
LETTER = re.compile(r"[^\W\d_]")
LANGUAGE_NAMES = {"de": "German", "fr": "French", "es": "Spanish", "en": "English", "nl": "Dutch"}


@dataclass(frozen=True)
class TranslateSettings:
    beams: int = 4
    batch_tokens: int = 2048
    # New tokens per sentence: ceil(ratio * input tokens) + margin, rounded up to the next of
    # BOUND_STEPS so that length-sorted neighbours share one bound and batch together.
    length_ratio: float = 1.5
    length_margin: int = 10
    language_check: bool = True  # refuse documents in other languages than Dutch and English

    def fingerprint_fields(self) -> dict[str, object]:
        """The settings that change the words produced (batch size does not)."""
        return {
            "beams": self.beams,
            "length_ratio": self.length_ratio,
            "length_margin": self.length_margin,
        }


# Output-length bounds come in coarse steps (about 25% apart) so that sentences of similar
# length share a bound and can share a batch; a bound only caps a runaway, a real model stops earlier.
BOUND_STEPS = (16, 24, 32, 40, 48, 64, 80, 96, 128, 160, 192, 256, 320, 384, 448, 512)


def new_token_limit(n_input: int, model_limit: int, settings: TranslateSettings) -> int:
    raw = math.ceil(n_input * settings.length_ratio) + settings.length_margin
    step = next((b for b in BOUND_STEPS if b >= raw), raw)
    return max(1, min(step, model_limit - 1))


@dataclass
class SentenceResult:
    source: str
    target: str
    parts: int = 1  # > 1 when the sentence was over the model's limit and translated in parts
    tokens: int = 0
    passthrough: bool = False
    cached: bool = False  # taken from the translation memory, not generated in this run


class Remembered(NamedTuple):
    """What a translation memory keeps per sentence: enough to rebuild its SentenceResult."""

    target: str
    parts: int
    tokens: int


class SentenceMemory(Protocol):
    """Translations kept across runs (pipeline/translate/memory.py); it never raises into the translator."""

    def get(self, sentences: Sequence[str]) -> dict[str, Remembered]:
        """The remembered translations of those of ``sentences`` it knows, keyed as given."""

    def put(self, entries: dict[str, Remembered]) -> None: ...


@dataclass
class TranslatedUnit:
    kind: ParagraphKind
    marker: str
    source: str
    target: str
    sentences: list[SentenceResult]
    passthrough: bool = False


@dataclass
class TranslatedDocument:
    document: Document
    title: TranslatedUnit | None
    paragraphs: list[TranslatedUnit]
    passthrough: bool = False
    warnings: list[str] = field(default_factory=list)

    def stats(self) -> dict[str, int]:
        units = ([self.title] if self.title else []) + self.paragraphs
        sentences = [s for u in units for s in u.sentences]
        return {
            "paragraphs": len(self.paragraphs),
            "sentences": len(sentences),
            "sentences_split": sum(1 for s in sentences if s.parts > 1),
            "sentences_passed_through": sum(1 for s in sentences if s.passthrough),
            "source_tokens": sum(s.tokens for s in sentences),
        }


def body_text(doc: Document) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def check_language(doc: Document) -> None:
    """Refuse a document in a language other than Dutch or English (English is passed through)."""
    guess = detect_language(body_text(doc))
    if guess.language not in {"nl", "en", "unknown"} and guess.confidence >= 0.5:
        name = LANGUAGE_NAMES.get(guess.language, guess.language)
        raise InputError(
            doc.source_path,
            f"looks like {name}, not Dutch",
            "nlbrief translates Dutch (pass --no-language-check to translate anyway)",
        )


def has_words(sentence: str) -> bool:
    """Whether a sentence has anything to translate. One of only numbers, symbols and emoji is
    kept as it is: the model has nothing to do there but could drop what it has no token for
    (emoji become <unk>) or invent words."""
    return LETTER.search(sentence) is not None


def unit_sentences(unit: Paragraph) -> list[str]:
    """A heading is one unit whatever its punctuation; other paragraphs are split into sentences."""
    if unit.kind is ParagraphKind.HEADING:
        return [unit.text]
    return split_sentences(unit.text) or [unit.text]


def passthrough_plan(doc: Document) -> tuple[bool, list[bool]]:
    """Whether the whole document is English, and per unit (title first) whether it is passed
    through untranslated: every unit of an English document, else each English text paragraph."""
    whole_english = looks_english(body_text(doc))
    units = doc.units()
    return whole_english, [
        whole_english or (unit.kind is ParagraphKind.TEXT and looks_english(unit.text)) for unit in units
    ]


def document_sentences(doc: Document) -> list[list[str]]:
    """Sentences per unit (title first), in reading order."""
    return [unit_sentences(unit) for unit in doc.units()]


class Translator:
    """Sentence-level translation over any backend; see the module docstring for the method."""

    def __init__(
        self, backend: TranslationBackend, settings: TranslateSettings, memory: SentenceMemory | None = None
    ) -> None:
        self.backend = backend
        self.settings = settings
        self.memory = memory

    @property
    def limit(self) -> int:
        return self.backend.max_input_tokens

    def translate_sentences(
        self, sentences: Sequence[str], progress: Progress | None = None
    ) -> list[SentenceResult]:
        unique = list(dict.fromkeys(sentences))
        by_text: dict[str, SentenceResult] = {}
        if self.memory is not None and unique:
            for text, hit in self.memory.get(unique).items():
                by_text[text] = SentenceResult(text, hit.target, hit.parts, hit.tokens, cached=True)
            unique = [text for text in unique if text not in by_text]
        encoded = self.backend.encode(unique) if unique else []
        # jobs: (unique index, part index, ids); long sentences become several jobs
        jobs: list[tuple[int, int, list[int]]] = []
        parts_of: list[int] = []
        for index, (text, ids) in enumerate(zip(unique, encoded, strict=True)):
            pieces = [ids] if len(ids) <= self.limit else self.backend.encode(self._split_too_long(text, 0))
            parts_of.append(len(pieces))
            jobs.extend((index, part, piece) for part, piece in enumerate(pieces))

        outputs: dict[tuple[int, int], str] = {}
        done = 0
        try:
            for batch in self._batches(jobs):
                bound = new_token_limit(len(batch[0][2]), self.limit, self.settings)
                generated = self.backend.generate([ids for _, _, ids in batch], bound)
                for (index, part, _), text in zip(batch, self.backend.decode(generated), strict=True):
                    outputs[(index, part)] = text
                done += len(batch)
                if progress:
                    progress(done, len(jobs))
                checkpoint()  # Ctrl-C: stop here; the finally below saves what is done
        finally:  # remember what was finished, even when a later batch fails or the run is interrupted
            fresh: dict[str, Remembered] = {}
            for index, text in enumerate(unique):
                if all((index, part) in outputs for part in range(parts_of[index])):
                    target = " ".join(outputs[(index, part)] for part in range(parts_of[index]))
                    fresh[text] = Remembered(target, parts_of[index], len(encoded[index]))
                    by_text[text] = SentenceResult(text, *fresh[text])
            if self.memory is not None and fresh:
                self.memory.put(fresh)
        return [by_text[s] for s in sentences]

    def _batches(self, jobs: list[tuple[int, int, list[int]]]) -> list[list[tuple[int, int, list[int]]]]:
        """Longest first, under the padded-token budget, never mixing two output-length bounds."""
        ordered = sorted(jobs, key=lambda job: (-len(job[2]), job[0], job[1]))
        batches: list[list[tuple[int, int, list[int]]]] = []
        current: list[tuple[int, int, list[int]]] = []
        for job in ordered:
            if current:
                width = len(current[0][2])
                same_bound = new_token_limit(len(job[2]), self.limit, self.settings) == new_token_limit(
                    width, self.limit, self.settings
                )
                if not same_bound or (len(current) + 1) * width > self.settings.batch_tokens:
                    batches.append(current)
                    current = []
            current.append(job)
        if current:
            batches.append(current)
        return batches

    def split_to_fit(self, text: str, level: int = 0) -> list[str]:
        """Cut ``text`` into parts that each fit the model, at the coarsest boundary that works."""
        if self._fits(text):
            return [text]
        return self._split_too_long(text, level)

    def _split_too_long(self, text: str, level: int) -> list[str]:
        # Known not to fit: checking again would encode the whole text once more per level,
        # which on a paragraph of megabytes is most of the work.
        while level < len(SPLIT_LEVELS):
            pieces = [p for p in SPLIT_LEVELS[level].split(text) if p]
            if len(pieces) > 1:
                break
            level += 1
        else:
            return self._split_inside_word(text)
        # Pack neighbours greedily by their token counts (nearly additive), then check each chunk.
        result: list[str] = []
        for chunk in pack(pieces, self._piece_tokens(pieces), self.limit - 2):
            joined = " ".join(chunk)
            if self._fits(joined):
                result.append(joined)
            elif len(chunk) > 1:
                half = len(chunk) // 2
                result += self.split_to_fit(" ".join(chunk[:half]), level)
                result += self.split_to_fit(" ".join(chunk[half:]), level)
            else:
                result += self._split_too_long(joined, level + 1)
        return result

    def _piece_tokens(self, pieces: list[str]) -> list[int]:
        """Token counts of ``pieces`` without their </s>, encoded a slice at a time: a paragraph of a
        million words must not become a million token lists in memory at once."""
        counts: list[int] = []
        for start in range(0, len(pieces), PIECES_PER_ENCODE):
            counts += [len(ids) - 1 for ids in self.backend.encode(pieces[start : start + PIECES_PER_ENCODE])]
        return counts

    def _fits(self, text: str) -> bool:
        return len(self.backend.encode([text])[0]) <= self.limit

    def _split_inside_word(self, text: str) -> list[str]:
        """A single token longer than the limit (a URL, a hash): cut it by characters.

        Each part is the longest prefix that fits. The search looks at windows that double from
        a small start, never at the whole rest: encoding the rest for every part would make a
        megabyte without spaces quadratic.
        """
        parts: list[str] = []
        rest = text
        while rest:
            fitting, window = 1, min(len(rest), 4 * self.limit)
            while self._fits(rest[:window]):
                if window == len(rest):
                    parts.append(rest)
                    return parts
                fitting, window = window, min(len(rest), 2 * window)
            low, high = fitting, window - 1
            while low < high:  # the longest prefix that fits, between one that does and one that does not
                mid = (low + high + 1) // 2
                if self._fits(rest[:mid]):
                    low = mid
                else:
                    high = mid - 1
            parts.append(rest[:low])
            rest = rest[low:]
        return parts

    def translate_documents(
        self, docs: Sequence[Document], progress: Progress | None = None
    ) -> list[TranslatedDocument]:
        """Translate several documents together so their sentences share batches."""
        plans = []
        wanted: list[str] = []
        for doc in docs:
            whole_english, english_units = passthrough_plan(doc)
            units = []
            for unit, english in zip(doc.units(), english_units, strict=True):
                sentences = unit_sentences(unit)
                if not english:
                    wanted.extend(s for s in sentences if has_words(s))
                units.append((unit, sentences, english))
            plans.append((doc, units, whole_english))

        results = iter(self.translate_sentences(wanted, progress))
        translated = []
        for doc, units, whole_english in plans:
            built: list[TranslatedUnit] = []
            warnings = list(doc.warnings)
            for number, (unit, sentences, english) in enumerate(units, start=0 if doc.title else 1):
                label = f"paragraph {number}" if number else "the title"
                sents = [
                    next(results) if not english and has_words(s) else SentenceResult(s, s, passthrough=True)
                    for s in sentences
                ]
                target = " ".join(s.target for s in sents)
                built.append(
                    TranslatedUnit(
                        unit.kind, unit.marker, source=unit.text, target=target, sentences=sents,
                        passthrough=english,
                    )
                )
                for s in sents:
                    if s.parts > 1:
                        warnings.append(
                            f"{label}: a sentence of {s.tokens} tokens exceeded the model's limit "
                            f"of {self.limit} and was translated in {s.parts} parts"
                        )
                if english and not whole_english:
                    warnings.append(f"{label} is already English: passed through untranslated")
            if whole_english:
                warnings.append("the document is already English: passed through untranslated")
            title = built.pop(0) if doc.title else None
            translated.append(
                TranslatedDocument(doc, title, built, passthrough=whole_english, warnings=warnings)
            )
        return translated
