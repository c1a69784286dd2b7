"""Translating documents: sentences in, batched by length, order restored, nothing truncated.

After EasyNMT: split into sentences, sort by token length, batch under a token budget,
generate, restore the original order, rebuild the paragraphs. Sentences longer than the
model's input limit are cut at clause boundaries, then commas, then spaces (and as a last
resort inside a word), translated in parts and joined; every such split is reported.
Sentences without a letter (only numbers, symbols, emoji) are kept as they are.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import NamedTuple, Protocol

from pipeline.checks.findings import Finding
from pipeline.checks.glossary import Glossary
from pipeline.checks.sentence import check_sentence, check_text
from pipeline.checks.signs import MODEL_SIGNS
from pipeline.ingest.document import Document
from pipeline.run.interrupt import checkpoint
from pipeline.run.manifest import CHECKS_VERSION
from pipeline.translate import retry
from pipeline.translate.backends.contract import TranslationBackend, batch_sentences, generate_each
from pipeline.translate.plan import DocumentPlan, has_words, plan_document
from pipeline.translate.results import (
    Remembered,
    SentenceResult,
    TranslatedDocument,
    TranslatedUnit,
    check_warnings,
)
from pipeline.translate.retry import Candidate
from pipeline.translate.splitting import Splitter

Progress = Callable[[int, int], None]  # (segments done, segments in all)


@dataclass(frozen=True)
class TranslateSettings:
    beams: int = 4
    batch_tokens: int = 2048
    # New tokens per sentence: ceil(ratio * input tokens) + margin, rounded up to the next of
    # BOUND_STEPS so that length-sorted neighbours share one bound and batch together.
    length_ratio: float = 1.5
    length_margin: int = 10
    language_check: bool = True  # refuse documents in other languages than Dutch and English
    retry: bool = True  # try a flagged sentence once more, another way (retry.py)

    def fingerprint_fields(self) -> dict[str, object]:
        """The settings that change the words produced (batch size does not)."""
        return {
            "beams": self.beams,
            "length_ratio": self.length_ratio,
            "length_margin": self.length_margin,
            "retry": self.retry,
        }


# Output-length bounds come in coarse steps (about 25% apart) so that sentences of similar
# length share a bound and can share a batch; a bound only caps a runaway, a real model stops earlier.
BOUND_STEPS = (16, 24, 32, 40, 48, 64, 80, 96, 128, 160, 192, 256, 320, 384, 448, 512)


def new_token_limit(n_input: int, model_limit: int, settings: TranslateSettings) -> int:
    raw = math.ceil(n_input * settings.length_ratio) + settings.length_margin
    step = next((b for b in BOUND_STEPS if b >= raw), raw)
    return max(1, min(step, model_limit - 1))


class Generated(NamedTuple):
    """One sentence's output as the model gave it: the text, and what decoding would hide."""

    text: str
    unknown: int  # <unk> tokens written (decoding drops them)
    cut_off: bool  # ran into its length bound


def _remembered(result: SentenceResult) -> Remembered:
    return Remembered(
        result.target,
        result.parts,
        result.tokens,
        findings=tuple(result.findings),
        retry=result.retry,
        retry_skipped=result.retry_skipped,
        pieces=result.pieces,
    )


def _parts(outputs: dict[tuple[int, int], Generated], index: int, parts: int) -> list[Generated] | None:
    """The outputs of the parts of sentence ``index``, or None while a part is missing (interrupted)."""
    found = [outputs.get((index, part)) for part in range(parts)]
    return None if any(out is None for out in found) else [out for out in found if out is not None]


class _Planned(NamedTuple):
    """A text as the model takes it: its token count, and its parts (one when it fits) as text and ids."""

    tokens: int
    texts: list[str]
    ids: list[list[int]]


class SentenceMemory(Protocol):
    """Translations kept across runs (pipeline/translate/memory.py); it never raises into the translator."""

    def get(self, sentences: Sequence[str]) -> dict[str, Remembered]:
        """The remembered translations of those of ``sentences`` it knows, keyed as given."""

    def put(self, entries: dict[str, Remembered]) -> None: ...


class Translator:
    """Sentence-level translation over any backend; see the module docstring for the method. Every
    sentence it generates is checked (pipeline/checks) and, when flagged, tried once more
    (pipeline/translate/retry.py); ``check_s`` and ``retry_s`` add up the time both took."""

    def __init__(
        self,
        backend: TranslationBackend,
        settings: TranslateSettings,
        memory: SentenceMemory | None = None,
        glossary: Glossary | None = None,
    ) -> None:
        self.backend = backend
        self.settings = settings
        self.memory = memory
        self.glossary = glossary
        self.check_s = 0.0
        self.retry_s = 0.0

    @property
    def limit(self) -> int:
        return self.backend.max_input_tokens

    @property
    def splitter(self) -> Splitter:
        return Splitter(self.backend.encode, self.limit)

    def split_to_fit(self, text: str) -> list[str]:
        return self.splitter.split_to_fit(text)

    def translate_sentences(
        self, sentences: Sequence[str], progress: Progress | None = None
    ) -> list[SentenceResult]:
        unique = list(dict.fromkeys(sentences))
        by_text: dict[str, SentenceResult] = {}
        if self.memory is not None and unique:
            for text, hit in self.memory.get(unique).items():
                by_text[text] = self._from_memory(text, hit)
            unique = [text for text in unique if text not in by_text]
        fresh: dict[str, SentenceResult] = {}
        try:
            self._first_try(unique, fresh, progress)
            self._second_try(fresh)
        finally:  # remember what was finished, even when a later batch fails or the run is interrupted
            if self.memory is not None and fresh:
                self.memory.put({t: _remembered(r) for t, r in fresh.items()})
        by_text.update(fresh)
        return [by_text[s] for s in sentences]

    def _from_memory(self, text: str, hit: Remembered) -> SentenceResult:
        """A remembered sentence with its findings; those of older checks are made again from its text,
        keeping what only the model's output showed when it was generated."""
        findings = list(hit.findings)
        if hit.checks_version != CHECKS_VERSION:
            findings = [f for f in findings if f.kind in MODEL_SIGNS] + check_text(
                text, hit.target, hit.pieces
            )
        return SentenceResult(
            text, hit.target, hit.parts, hit.tokens, cached=True, findings=findings, retry=hit.retry,
            retry_skipped=hit.retry_skipped, pieces=hit.pieces,
        )  # fmt: skip

    def _planned(self, texts: Sequence[str]) -> list[_Planned]:
        """Each text as the model takes it: whole when it fits, else cut into parts (never truncated)."""
        planned = []
        for text, ids in zip(texts, self.backend.encode(texts) if texts else [], strict=True):
            if len(ids) <= self.limit:
                planned.append(_Planned(len(ids), [text], [ids]))
            else:
                parts = self.splitter.split_too_long(text)
                planned.append(_Planned(len(ids), parts, self.backend.encode(parts)))
        return planned

    def _first_try(
        self, unique: list[str], fresh: dict[str, SentenceResult], progress: Progress | None
    ) -> None:
        planned = self._planned(unique)
        outputs: dict[tuple[int, int], Generated] = {}

        def checked(index: int) -> None:
            """A sentence whose parts are all translated, checked while the backend's workers go on."""
            text, plan = unique[index], planned[index]
            outs = _parts(outputs, index, len(plan.ids))
            if text in fresh or outs is None:
                return
            target = " ".join(out.text for out in outs)
            findings = self._check(plan.texts, outs)
            pieces = tuple(zip(plan.texts, (o.text for o in outs), strict=True)) if len(outs) > 1 else ()
            fresh[text] = SentenceResult(
                text, target, len(plan.ids), plan.tokens, findings=findings, pieces=pieces
            )

        try:
            self._generate([p.ids for p in planned], outputs, progress, finished=checked)
        finally:  # what was finished is kept (and checked) even when the run stops here
            for index in range(len(unique)):
                checked(index)

    def _second_try(self, fresh: dict[str, SentenceResult]) -> None:
        """Flagged sentences once more, another way (retry.py); the better try is kept, both recorded.
        Whether a sentence is tried again depends on it alone, so a rerun (or a run that finds some
        sentences in the memory) decides the same."""
        if not self.settings.retry:
            return
        chosen = [t for t, r in fresh.items() if retry.worth_trying(r.findings, r.parts)]
        for text, result in fresh.items():
            result.retry_skipped = result.flagged and text not in chosen
        plans = [retry.plan(text, self.settings.beams) for text in chosen]
        with self._timed("retry_s"):
            for beams in dict.fromkeys(p.beams for p in plans):
                group = [p for p in plans if p.beams == beams]
                # each clause as the model takes it (a sentence that fits has clauses that fit)
                parts = [
                    [
                        part
                        for piece in self._planned(p.pieces)
                        for part in zip(piece.texts, piece.ids, strict=True)
                    ]
                    for p in group
                ]
                outputs: dict[tuple[int, int], Generated] = {}
                try:
                    self._generate([[ids for _, ids in sentence] for sentence in parts], outputs, None, beams)
                finally:
                    for index, (plan, sentence) in enumerate(zip(group, parts, strict=True)):
                        outs = _parts(outputs, index, len(sentence))
                        if outs is not None:
                            self._keep_better(fresh, plan, [text for text, _ in sentence], outs)

    def _keep_better(
        self, fresh: dict[str, SentenceResult], plan: retry.RetryPlan, texts: list[str], outs: list[Generated]
    ) -> None:
        first = fresh[plan.text]
        second = Candidate(" ".join(out.text for out in outs), tuple(self._check(texts, outs)))
        tried = retry.keep(plan.how, Candidate(first.target, tuple(first.findings)), second)
        fresh[plan.text] = replace(
            first, target=tried.kept.target, findings=list(tried.kept.findings), retry=tried
        )

    def _generate(
        self,
        pieces: list[list[list[int]]],
        outputs: dict[tuple[int, int], Generated],
        progress: Progress | None,
        beams: int | None = None,
        finished: Callable[[int], None] | None = None,
    ) -> None:
        """Every piece through the model, in batches; ``outputs`` gets each (text, piece) as it is done,
        and ``finished`` is told each index whose pieces are all done (once per piece of it)."""
        jobs = [(index, part, ids) for index, parts in enumerate(pieces) for part, ids in enumerate(parts)]
        if not jobs:
            return  # asking the backend anything would load the model, with nothing to translate
        unknown_id = self.backend.unknown_id
        batches = self._batches(jobs)
        work = [
            ([ids for _, _, ids in b], new_token_limit(len(b[0][2]), self.limit, self.settings))
            for b in batches
        ]
        done = 0
        # A backend that runs several batches at once (CTranslate2's workers) gets them ahead of need.
        for batch, (_, bound), generated in zip(
            batches, work, generate_each(self.backend, work, beams), strict=False
        ):
            texts = self.backend.decode(generated)
            for (index, part, _), ids, text in zip(batch, generated, texts, strict=True):
                unknown = ids.count(unknown_id) if unknown_id is not None else 0
                outputs[(index, part)] = Generated(text, unknown, len(ids) >= bound)
            if finished:
                for index, _, _ in batch:
                    finished(index)
            done += len(batch)
            if progress:
                progress(done, len(jobs))
            checkpoint()  # Ctrl-C: stop here; the callers keep what is done

    def _check(self, sources: Sequence[str], outs: Sequence[Generated]) -> list[Finding]:
        """A sentence's findings: each part held against what the model made of it, so a sentence cut
        into parts is checked part by part (and the work stays proportional to its length)."""
        with self._timed("check_s"):
            return [
                finding
                for source, out in zip(sources, outs, strict=True)
                for finding in check_sentence(source, out.text, unknown=out.unknown, cut_off=out.cut_off)
            ]

    @contextmanager
    def _timed(self, counter: str) -> Iterator[None]:
        begin = time.perf_counter()
        try:
            yield
        finally:
            setattr(self, counter, getattr(self, counter) + time.perf_counter() - begin)

    def _batches(self, jobs: list[tuple[int, int, list[int]]]) -> list[list[tuple[int, int, list[int]]]]:
        """Longest first, under the padded-token budget and the backend's most sentences a batch, never
        mixing two output-length bounds."""
        most = batch_sentences(self.backend) or len(jobs)
        ordered = sorted(jobs, key=lambda job: (-len(job[2]), job[0], job[1]))
        batches: list[list[tuple[int, int, list[int]]]] = []
        current: list[tuple[int, int, list[int]]] = []
        for job in ordered:
            if current:
                width = len(current[0][2])
                same_bound = new_token_limit(len(job[2]), self.limit, self.settings) == new_token_limit(
                    width, self.limit, self.settings
                )
                full = len(current) >= most or (len(current) + 1) * width > self.settings.batch_tokens
                if not same_bound or full:
                    batches.append(current)
                    current = []
            current.append(job)
        if current:
            batches.append(current)
        return batches

    def _placed(self, result: SentenceResult, where: str) -> SentenceResult:
        """The sentence's findings placed in its document, the glossary's added (not remembered: the
        glossary is this run's)."""
        glossary = self.glossary.check(result.source, result.target) if self.glossary else []
        return replace(result, findings=[f.at(where) for f in (*result.findings, *glossary)], where=where)

    def translate_documents(
        self, docs: Sequence[Document], progress: Progress | None = None
    ) -> list[TranslatedDocument]:
        """Translate several documents together so their sentences share batches."""
        return self.translate_plans([plan_document(doc) for doc in docs], progress)

    def translate_plans(
        self, plans: Sequence[DocumentPlan], progress: Progress | None = None
    ) -> list[TranslatedDocument]:
        """The documents of ``plans`` translated together (segmented before, perhaps elsewhere)."""
        results = iter(self.translate_sentences([s for plan in plans for s in plan.wanted()], progress))
        translated = []
        for plan in plans:
            doc, whole_english = plan.doc, plan.whole_english
            built: list[TranslatedUnit] = []
            warnings = list(doc.warnings)
            for number, planned in enumerate(plan.units, start=0 if doc.title else 1):
                unit, sentences, english = planned.unit, planned.sentences, planned.english
                label = f"paragraph {number}" if number else "the title"
                sents = [
                    self._placed(next(results), f"{label}, sentence {k}")
                    if not english and has_words(s)
                    else SentenceResult(s, s, passthrough=True)
                    for k, s in enumerate(sentences, start=1)
                ]
                target = " ".join(s.target for s in sents)
                built.append(
                    TranslatedUnit(
                        unit.kind,
                        unit.marker,
                        source=unit.text,
                        target=target,
                        sentences=sents,
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
            result = TranslatedDocument(doc, title, built, passthrough=whole_english, warnings=warnings)
            result.warnings += check_warnings(result)
            translated.append(result)
        return translated
