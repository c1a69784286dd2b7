"""One translation row in a process of its own (so that peak RSS and load are the row's own).

    python bench/translate_worker.py SPEC.json    (written by bench/run.py; prints one JSON row last)

SPEC: system (raw-torch | raw-ct2 | nlbrief-torch | nlbrief-ctranslate2 | convert), beams, dtype
(torch rows), model, sentences_file, threads, ratio.

Every row translates the same sentences, and each sentence costs what a real model's translation of it
would: random weights never stop, so a batch generates exactly as many tokens as the longest English
reference among its sentences (in the target tokenizer, with </s>): a real batch also runs until its
longest sentence ends. A sentence the workload does not know (a part of a split one) gets
ceil(ratio x its source tokens) + 1, the workload's own target/source ratio.

- raw-torch: MarianTokenizer + MarianMTModel, the sentences sorted by token length, batches of 32,
  straight into generate() under inference_mode: the ceiling nlbrief's batching is measured against.
- raw-ct2: the same batches of the same tokens into ctranslate2.Translator.translate_batch, all
  submitted at once to one single-threaded replica per thread, on the model nlbrief converted (int8).
- nlbrief-*: nlbrief's Translator over the backend its command line builds at its defaults
  (bench/nlbrief_options.py), every sentence checked as nlbrief checks it, no second tries (the end
  to end rows pay those); a pass-through around the backend sets each batch's length.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from measure import Stopwatch, peak_rss_mb, rss_mb  # noqa: E402
from nlbrief_options import Unavailable  # noqa: E402

RAW_BATCH = 32  # the raw row: sorted by length, batches of 32 sentences
WARMUP = "Dit is een korte zin om op te warmen."  # one untimed call before the clock


class Lengths:
    """Each batch's length: the longest output any of its sentences should have (see the docstring)."""

    def __init__(self, ids: list[list[int]], new_tokens: list[int], ratio: float) -> None:
        self.known = {tuple(i): n for i, n in zip(ids, new_tokens, strict=True)}
        self.ratio = ratio
        self.unknown = 0
        self.rows = 0
        self.padded = 0  # decoding steps x rows: what the batches cost, padding included

    def of(self, batch: list[list[int]]) -> int:
        wanted = []
        for ids in batch:
            n = self.known.get(tuple(ids))
            if n is None:
                self.unknown += 1
                n = math.ceil(self.ratio * len(ids)) + 1
            wanted.append(n)
        self.rows += len(batch)
        self.padded += max(wanted) * len(batch)
        return max(wanted)


class Sized:
    """Pass-through around an nlbrief backend: each batch asks for exactly its length (Lengths)."""

    def __init__(self, inner, lengths: Lengths, set_min) -> None:
        self.inner, self.lengths, self.set_min = inner, lengths, set_min
        self.name, self.max_input_tokens, self.unknown_id = (
            inner.name,
            inner.max_input_tokens,
            inner.unknown_id,
        )
        self.batches: list[int] = []

    def encode(self, texts):
        return self.inner.encode(texts)

    def generate(self, batch, max_new_tokens, beams=None):
        n = self.lengths.of([list(ids) for ids in batch])
        self.set_min(n)
        self.batches.append(len(batch))
        return self.inner.generate(batch, n, beams)

    def decode(self, outputs):
        return self.inner.decode(outputs)


class SizedConcurrent(Sized):
    """The same for a backend that runs several batches at once (nlbrief's CTranslate2 workers): the
    Translator hands it all the batches, and it keeps doing so."""

    def generate_many(self, work, beams=None):
        sized = []
        for batch, _ in work:
            sized.append((batch, self.lengths.of([list(ids) for ids in batch])))
            self.batches.append(len(batch))
        yield from self.inner.generate_many(sized, beams)


class MinLength:
    """Pass-through around a ctranslate2.Translator: min_decoding_length = max_decoding_length."""

    def __init__(self, inner) -> None:
        self.inner = inner

    def translate_batch(self, source, *args, **kwargs):
        kwargs["min_decoding_length"] = kwargs["max_decoding_length"]
        return self.inner.translate_batch(source, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def sorted_batches(ids: list[list[int]]) -> list[list[list[int]]]:
    ordered = sorted(ids, key=len)
    return [ordered[i : i + RAW_BATCH] for i in range(0, len(ordered), RAW_BATCH)]


def raw_torch(spec: dict, texts: list[str], lengths: Lengths, row: dict) -> None:
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    from pipeline.translate.backends.contract import generation_kwargs

    began = time.perf_counter()
    tokenizer = MarianTokenizer.from_pretrained(spec["model"], local_files_only=True)
    dtype = getattr(torch, spec["dtype"])
    model = MarianMTModel.from_pretrained(spec["model"], local_files_only=True, dtype=dtype).eval()
    row["load_s"] = round(time.perf_counter() - began, 2)
    pad = model.config.pad_token_id

    def run(batch: list[list[int]], n: int) -> None:
        width = max(len(i) for i in batch)
        input_ids = torch.tensor([i + [pad] * (width - len(i)) for i in batch])
        mask = torch.tensor([[1] * len(i) + [0] * (width - len(i)) for i in batch])
        with torch.inference_mode():
            model.generate(
                input_ids=input_ids,
                attention_mask=mask,
                **generation_kwargs(spec["beams"], n),
                min_new_tokens=n,
            )

    run(tokenizer([WARMUP])["input_ids"], 2)
    batches = sorted_batches(tokenizer(texts)["input_ids"])
    with Stopwatch() as watch:
        for batch in batches:
            run(batch, lengths.of(batch))
    watch.record(row)
    row["batches"] = len(batches)


def raw_ct2(spec: dict, texts: list[str], lengths: Lengths, row: dict) -> None:
    """Every batch submitted at once (asynchronous) to a translator with one single-threaded replica per
    thread: CTranslate2's own way of filling the cores, so the ceiling is not a straw man."""
    import ctranslate2
    from transformers import MarianTokenizer

    from pipeline.models.locate import locate_model
    from pipeline.translate.backends import ct2_marian

    folder = ct2_marian.converted_dir(locate_model(spec["model"], download=False), spec["compute_type"])
    began = time.perf_counter()
    tokenizer = MarianTokenizer.from_pretrained(spec["model"], local_files_only=True)
    translator = ctranslate2.Translator(
        str(folder), device="cpu", compute_type=spec["compute_type"], inter_threads=spec["threads"],
        intra_threads=1,
    )  # fmt: skip
    row["load_s"] = round(time.perf_counter() - began, 2)
    row["dtype"] = spec["compute_type"]
    row["ct2_workers"] = spec["threads"]

    def submit(batch: list[list[int]], n: int) -> list:
        tokens = [tokenizer.convert_ids_to_tokens(i) for i in batch]
        return translator.translate_batch(
            tokens, beam_size=spec["beams"], max_decoding_length=n, min_decoding_length=n, asynchronous=True
        )

    [r.result() for r in submit(tokenizer([WARMUP])["input_ids"], 2)]
    batches = sorted_batches(tokenizer(texts)["input_ids"])
    with Stopwatch() as watch:
        pending = [submit(batch, lengths.of(batch)) for batch in batches]
        for results in pending:
            for result in results:
                result.result()
    watch.record(row)
    row["batches"] = len(batches)


def nlbrief(spec: dict, texts: list[str], lengths: Lengths, row: dict) -> None:
    """nlbrief's Translator over the backend `nlbrief translate` builds at its defaults."""
    from dataclasses import replace

    import nlbrief_options

    from pipeline.checks.sentence import check_sentence
    from pipeline.translate.translator import Translator

    backend_name = spec["system"].removeprefix("nlbrief-")
    opts = nlbrief_options.options(
        "translate", translator_model=spec["model"], backend=backend_name, beams=spec["beams"],
        threads=spec["threads"], device="cpu", no_cache=True, dtype=spec.get("dtype"),
    )  # fmt: skip
    began = time.perf_counter()
    backend, settings, backend_options = nlbrief_options.translator(opts)
    row["load_s"] = round(time.perf_counter() - began, 2)
    row["batch_tokens"] = settings.batch_tokens
    row["options"] = {k: v for k, v in vars(backend_options).items() if k != "allow_pickle"}
    if backend_name == "ctranslate2":
        row["dtype"] = backend.compute_type
        row["ct2_threads"] = getattr(backend, "threads", None)
        row["ct2_workers"] = getattr(backend, "workers", 1)
        backend.translator = MinLength(backend.translator)
        set_min = lambda n: None  # noqa: E731 - MinLength sets it per call
    else:
        row["dtype"] = str(next(backend.model.parameters()).dtype).removeprefix("torch.")

        def set_min(n: int) -> None:
            backend.model.generation_config.min_new_tokens = n

    backend.generate(backend.encode([WARMUP]), 2)
    check_sentence(WARMUP, "A short sentence to warm up.")  # the checks' tables, read untimed
    sized = (SizedConcurrent if hasattr(backend, "generate_many") else Sized)(backend, lengths, set_min)
    translator = Translator(sized, replace(settings, retry=False, language_check=False))
    with Stopwatch() as watch:
        results = translator.translate_sentences(texts)
    watch.record(row)
    if len(results) != len(texts):
        raise RuntimeError("the Translator returned a different number of sentences")
    row["batches"] = len(sized.batches)
    row["split_sentences"] = sum(1 for r in results if r.parts > 1)


def convert(spec: dict) -> dict:
    """nlbrief's one-time conversion to CTranslate2, in a process of its own (not a row's RSS)."""
    from pipeline.models.locate import locate_model
    from pipeline.translate.backends import ct2_marian

    began = time.perf_counter()
    folder = ct2_marian.ensure_converted(locate_model(spec["model"], download=False), spec["compute_type"])
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    return {"convert_s": round(time.perf_counter() - began, 1), "ct2_model_mb": round(size / 2**20, 1)}


SYSTEMS = {
    "raw-torch": raw_torch,
    "raw-ct2": raw_ct2,
    "nlbrief-torch": nlbrief,
    "nlbrief-ctranslate2": nlbrief,
}


def main(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    began = time.perf_counter()
    import transformers  # noqa: F401 - imported before the clocks

    if "ct2" not in spec["system"] and "ctranslate2" not in spec["system"]:
        import torch  # not in the CTranslate2 rows: nlbrief's CTranslate2 path runs without it

        torch.set_num_threads(spec["threads"])
    import_s = round(time.perf_counter() - began, 2)
    if spec["system"] == "convert":
        print(json.dumps(convert(spec)))
        return 0
    sentences = json.loads(Path(spec["sentences_file"]).read_text(encoding="utf-8"))
    texts = [s["nl"] for s in sentences]
    row: dict = {"task": "translate", "system": spec["system"], "beams": spec["beams"],
                 "dtype": spec.get("dtype"), "threads": spec["threads"], "import_s": import_s}  # fmt: skip
    from transformers import MarianTokenizer

    ids = MarianTokenizer.from_pretrained(spec["model"], local_files_only=True)(texts)["input_ids"]
    lengths = Lengths(ids, [s["new_tokens"] for s in sentences], spec["ratio"])
    try:
        SYSTEMS[spec["system"]](spec, texts, lengths, row)
    except Unavailable as why:
        print(json.dumps({**row, "skipped": str(why)}))
        return 0
    row["rss_after_mb"] = rss_mb()
    row["peak_rss_mb"] = peak_rss_mb()
    row["sentences"] = len(texts)
    row["sentences_per_s"] = round(len(texts) / row["seconds"], 3)
    row["tokens_per_s"] = round(sum(s["new_tokens"] for s in sentences) / row["seconds"], 1)
    # the share of the decoding work spent on rows already finished (a batch runs to its longest)
    row["padding_share"] = round(1 - sum(s["new_tokens"] for s in sentences) / lengths.padded, 3)
    row["unknown_lengths"] = lengths.unknown
    print(json.dumps(row))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    sys.exit(main(sys.argv[1]))
