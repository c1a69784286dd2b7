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
- Stage clocks: the time spent in Translator.translate_documents (translation, its checks and second
  tries) and in Summarizer.summarize, written with the process's peak RSS to FILE at exit.
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
counts: dict[str, int] = {"translation_calls": 0, "summarizer_calls": 0}


def translation_length(source_lengths: list[int], bound: int) -> int:
    return max(1, min(bound, math.ceil(RATIO * max(source_lengths)) + 1))


def force_transformers() -> None:
    from transformers.generation.utils import GenerationMixin

    original = GenerationMixin.generate

    def generate(self, *args, **kwargs):
        bound = int(kwargs.get("max_new_tokens") or 0)
        if self.config.is_encoder_decoder:
            mask = kwargs.get("attention_mask")
            lengths = mask.sum(dim=1).tolist() if mask is not None else [kwargs["input_ids"].shape[1]]
            n = translation_length([int(v) for v in lengths], bound)
            counts["translation_calls"] += 1
        else:
            n = max(1, math.ceil(bound / 2))
            counts["summarizer_calls"] += 1
        kwargs["max_new_tokens"] = kwargs["min_new_tokens"] = n
        return original(self, *args, **kwargs)

    GenerationMixin.generate = generate


def force_ctranslate2() -> None:
    try:
        import ctranslate2
    except ImportError:
        return

    class Translator(ctranslate2.Translator):
        def translate_batch(self, source, *args, **kwargs):
            n = translation_length([len(tokens) for tokens in source], kwargs["max_decoding_length"])
            kwargs["max_decoding_length"] = kwargs["min_decoding_length"] = n
            counts["translation_calls"] += 1
            return super().translate_batch(source, *args, **kwargs)

    ctranslate2.Translator = Translator


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
    clock(Translator, "translate_documents", "translate_s")
    clock(Summarizer, "summarize", "summarize_s")
    imported = time.perf_counter()
    if STATS:
        atexit.register(write_stats)
    sys.argv[0] = "nlbrief"
    main()
