"""`nlbrief` with realistic output lengths on random weights, and the time of each stage.

    NLBRIEF_BENCH_CODE=DIR NLBRIEF_BENCH_RATIO=R NLBRIEF_BENCH_STATS=FILE python bench/forced_cli.py ARGS

Runs the command line of the nlbrief found in DIR (this checkout, or an older revision extracted by
bench/baseline.py) exactly as `nlbrief ARGS` would, with two changes that neither revision's code sees:

- Output lengths. Random weights never write </s>, so every answer would run to nlbrief's bound
  (1.5 x input + 10 for a sentence, 180 tokens for three bullets). Each generate() call is held to a
  realistic length instead, the same rule for every revision and setting: a translation batch writes
  ceil(R x its longest source) + 1 tokens (R: the workload's English/Dutch token ratio), a summarizer
  answer half its bound (bullets 90, headline 16: about 100 new tokens an article). CTranslate2's
  translate_batch gets the same rule.
- What the translator writes. Random weights write junk that no summarizer prompt of a real day holds
  (repeated pieces: about 5 summarizer tokens per Dutch word, against 1.5 for English), and that fails
  the checks far more often than a real translation would. Where NLBRIEF_BENCH_REFERENCES names a JSON
  file of {Dutch sentence: English reference}, a sentence found there (by its token ids) is given its
  reference as the output, and its batch is held to the longest such output: the time a real model
  would take, and the text it would write, so the checks and the summarizer see real English. A
  sentence not found (a clause of a second try, a sentence split otherwise) keeps the random output,
  cut to its own realistic length. Counted in the stats (references_used / translated_rows).
- Stage clocks: the time spent in Translator.translate_plans (translate_documents in older code: the
  translation, its checks and second tries) and in Summarizer.summarize, written with the process's
  peak RSS to FILE at exit.
"""

from __future__ import annotations

import atexit
import json
import math
import os
import sys
import time

STARTED = time.perf_counter()
CODE = os.environ.get("NLBRIEF_BENCH_CODE")
if CODE:
    sys.path.insert(0, CODE)
RATIO = float(os.environ.get("NLBRIEF_BENCH_RATIO", "1.0"))
STATS = os.environ.get("NLBRIEF_BENCH_STATS")
clocks: dict[str, float] = {"translate_s": 0.0, "summarize_s": 0.0}
counts: dict[str, int] = {"translation_calls": 0, "summarizer_calls": 0, "translated_rows": 0,
                          "references_used": 0}  # fmt: skip


def translation_length(source_lengths: list[int], bound: int) -> int:
    return max(1, min(bound, math.ceil(RATIO * max(source_lengths)) + 1))


class References:
    """The English reference of each known Dutch sentence, found by its source token ids (``</s>`` and
    padding left out), as target token ids ending in ``</s>``."""

    def __init__(self, path: str, model: str) -> None:
        from transformers import MarianTokenizer

        with open(path, encoding="utf-8") as fh:
            pairs = json.load(fh)
        self.tokenizer = MarianTokenizer.from_pretrained(model, local_files_only=True)
        self.eos = self.tokenizer.eos_token_id
        self.pad = self.tokenizer.pad_token_id
        sources = self.tokenizer(list(pairs), split_special_tokens=True)["input_ids"]
        targets = self.tokenizer(text_target=list(pairs.values()))["input_ids"]
        self.by_source = {self.key(s): list(t) for s, t in zip(sources, targets, strict=True)}

    def key(self, ids) -> tuple[int, ...]:
        return tuple(int(i) for i in ids if int(i) not in (self.eos, self.pad))

    def plan(self, sources: list[list[int]], bound: int) -> tuple[list[list[int] | None], int]:
        """Each row's output (its reference, cut to the bound, or None) and the batch's length."""
        outputs = [self.by_source.get(self.key(ids)) for ids in sources]
        outputs = [None if out is None else out[:bound] for out in outputs]
        counts["translated_rows"] += len(sources)
        counts["references_used"] += sum(out is not None for out in outputs)
        lengths = [len(out) for out in outputs if out is not None]
        unmatched = [ids for ids, out in zip(sources, outputs, strict=True) if out is None]
        lengths += [translation_length([len(ids)], bound) for ids in unmatched]
        return outputs, max(1, min(bound, max(lengths)))

    def own(self, written: list[int], source: list[int], bound: int) -> list[int]:
        """A random output cut to its sentence's own realistic length, ending in </s>."""
        n = translation_length([len(source)], bound)
        return [*written[: n - 1], self.eos]


REFERENCES: References | None = None


def references() -> References | None:
    global REFERENCES
    path = os.environ.get("NLBRIEF_BENCH_REFERENCES")
    if path and REFERENCES is None:
        REFERENCES = References(path, os.environ["NLBRIEF_BENCH_TRANSLATOR"])
    return REFERENCES


def force_transformers() -> None:
    from transformers.generation.utils import GenerationMixin

    original = GenerationMixin.generate

    def generate(self, *args, **kwargs):
        bound = int(kwargs.get("max_new_tokens") or 0)
        refs = references() if self.config.is_encoder_decoder else None
        if refs is not None:
            sources = [[int(i) for i in row] for row in kwargs["input_ids"].tolist()]
            outputs, n = refs.plan(sources, bound)
            counts["translation_calls"] += 1
        elif self.config.is_encoder_decoder:
            mask = kwargs.get("attention_mask")
            lengths = mask.sum(dim=1).tolist() if mask is not None else [kwargs["input_ids"].shape[1]]
            n = translation_length([int(v) for v in lengths], bound)
            counts["translation_calls"] += 1
        else:
            n = max(1, math.ceil(bound / 2))
            counts["summarizer_calls"] += 1
        kwargs["max_new_tokens"] = kwargs["min_new_tokens"] = n
        began = time.perf_counter()
        try:
            out = original(self, *args, **kwargs)
            return out if refs is None else substituted(out, sources, outputs, refs, bound)
        finally:
            if os.environ.get("NLBRIEF_BENCH_TRACE"):
                ids = kwargs.get("input_ids") if kwargs.get("input_ids") is not None else args[0]
                with open(os.environ["NLBRIEF_BENCH_TRACE"], "a", encoding="utf-8") as fh:
                    fh.write(f"generate {tuple(ids.shape)} new={n} {time.perf_counter() - began:.2f}s\n")

    GenerationMixin.generate = generate


def substituted(out, sources, outputs, refs: References, bound: int):
    """generate()'s tensor with each row's reference (or its random output, cut), after the start token."""
    import torch

    per_source = out.shape[0] // len(sources)  # num_return_sequences
    rows = []
    for r, generated in enumerate(out.tolist()):
        source, reference = sources[r // per_source], outputs[r // per_source]
        rows.append([generated[0], *(reference or refs.own(generated[1:], source, bound))])
    width = max(len(row) for row in rows)
    return torch.tensor([row + [refs.pad] * (width - len(row)) for row in rows], dtype=out.dtype)


def force_ctranslate2() -> None:
    try:
        import ctranslate2
    except ImportError:
        return

    class Translator(ctranslate2.Translator):
        def translate_batch(self, source, *args, **kwargs):
            bound = kwargs["max_decoding_length"]
            refs = references()
            counts["translation_calls"] += 1
            if refs is None:
                n = translation_length([len(tokens) for tokens in source], bound)
                kwargs["max_decoding_length"] = kwargs["min_decoding_length"] = n
                return super().translate_batch(source, *args, **kwargs)
            ids = [refs.tokenizer.convert_tokens_to_ids(tokens) for tokens in source]
            outputs, n = refs.plan(ids, bound)
            kwargs["max_decoding_length"] = kwargs["min_decoding_length"] = n
            results = super().translate_batch(source, *args, **kwargs)
            return [Substituted(r, i, o, refs, bound) for r, i, o in zip(results, ids, outputs, strict=True)]

    ctranslate2.Translator = Translator


class Substituted:
    """A CTranslate2 result (or its asynchronous handle) whose hypothesis is the reference, as tokens."""

    def __init__(self, inner, source: list[int], reference: list[int] | None, refs: References, bound: int):
        self.inner, self.source, self.reference, self.refs, self.bound = inner, source, reference, refs, bound

    def result(self) -> Substituted:
        self.inner = self.inner.result()  # waits for the work, which is the time a real model takes
        return self

    def done(self) -> bool:
        return self.inner.done()

    @property
    def hypotheses(self) -> list[list[str]]:
        written = self.refs.tokenizer.convert_tokens_to_ids(self.inner.hypotheses[0])
        ids = self.reference or self.refs.own(written, self.source, self.bound)
        return [self.refs.tokenizer.convert_ids_to_tokens(ids)]

    @property
    def scores(self) -> list[float]:
        return self.inner.scores


def clock(cls: type, name: str, key: str) -> None:
    original = getattr(cls, name)

    def timed(*args, **kwargs):
        began = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            clocks[key] += time.perf_counter() - began

    setattr(cls, name, timed)


def write_stats() -> None:
    from measure import peak_rss_mb

    stats = {**{k: round(v, 2) for k, v in clocks.items()}, **counts, "peak_rss_mb": peak_rss_mb(),
             "startup_s": round(imported - STARTED, 2), "total_s": round(time.perf_counter() - STARTED, 2),
             "pipeline": sys.modules["pipeline"].__file__}  # fmt: skip
    with open(STATS, "w", encoding="utf-8") as fh:
        json.dump(stats, fh)


if __name__ == "__main__":
    sys.path.insert(1, os.path.dirname(os.path.abspath(__file__)))  # bench/measure.py
    from pipeline.cli.commands import main
    from pipeline.summarize.summarizer import Summarizer
    from pipeline.translate.translator import Translator

    force_transformers()
    force_ctranslate2()
    # translate_plans where the Translator has it (translate_documents calls it; the stages call it after
    # splitting a wave into sentences); the baseline's code has translate_documents alone.
    clock(Translator, "translate_plans" if hasattr(Translator, "translate_plans") else "translate_documents",
          "translate_s")  # fmt: skip
    clock(Summarizer, "summarize", "summarize_s")
    imported = time.perf_counter()
    if STATS:
        atexit.register(write_stats)
    sys.argv[0] = "nlbrief"
    main()
