"""One translation row in a process of its own (so that peak RSS and load are the row's own).

    python bench/translate_worker.py SPEC.json    (written by bench/run.py; prints one JSON row last,
                                                   or a list of two rows for a pair)

SPEC: system (raw-torch | raw-ct2 | nlbrief-torch | nlbrief-ctranslate2 | ct2-pair | convert), beams,
dtype (torch rows), model, sentences_file, threads, ratio.

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
- ct2-pair: raw-ct2 and nlbrief-ctranslate2 in one process, passes in the order raw, nlbrief, nlbrief,
  raw; each row is the mean of its two passes (the short CTranslate2 rows are the run's noisiest ratio).
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from measure import Stopwatch, peak_rss_mb, rss_mb  # noqa: E402
from nlbrief_options import Unavailable  # noqa: E402
from rows import PAIRS  # noqa: E402

RAW_BATCH = 32  # the raw row: sorted by length, batches of 32 sentences
WARMUP = "Dit is een korte zin om op te warmen."  # one untimed call before the clock
# A CTranslate2 pass takes about 10 s, and two passes of one row in a row differed by up to 7% on a
# quiet machine: a pair's rows run in the order A B B A (a machine that speeds up or slows down
# steadily meanwhile favours neither) and each row is the mean of its two passes.
PAIR_ORDER = (0, 1, 1, 0)


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
        if hasattr(inner, "batch_sentences"):  # nlbrief's Translator keeps a backend's own batch cap
            self.batch_sentences = inner.batch_sentences
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


Pass = Callable[["Lengths"], dict]  # one timed pass over the sentences: the row's measured fields


def measured(watch: Stopwatch, **extra: int) -> dict:
    found: dict = {}
    watch.record(found)
    return {**found, **extra}


def sorted_batches(ids: list[list[int]]) -> list[list[list[int]]]:
    ordered = sorted(ids, key=len)
    return [ordered[i : i + RAW_BATCH] for i in range(0, len(ordered), RAW_BATCH)]


def raw_torch(spec: dict, texts: list[str], row: dict) -> Pass:
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

    def one_pass(lengths: Lengths) -> dict:
        with Stopwatch() as watch:
            for batch in batches:
                run(batch, lengths.of(batch))
        return measured(watch, batches=len(batches))

    return one_pass


def raw_ct2(spec: dict, texts: list[str], row: dict) -> Pass:
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

    def one_pass(lengths: Lengths) -> dict:
        with Stopwatch() as watch:
            pending = [submit(batch, lengths.of(batch)) for batch in batches]
            for results in pending:
                for result in results:
                    result.result()
        return measured(watch, batches=len(batches))

    return one_pass


def nlbrief(spec: dict, texts: list[str], row: dict) -> Pass:
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
    wrapper = SizedConcurrent if hasattr(backend, "generate_many") else Sized

    def one_pass(lengths: Lengths) -> dict:
        sized = wrapper(backend, lengths, set_min)
        translator = Translator(sized, replace(settings, retry=False, language_check=False))
        with Stopwatch() as watch:
            results = translator.translate_sentences(texts)
        if len(results) != len(texts):
            raise RuntimeError("the Translator returned a different number of sentences")
        split = sum(1 for r in results if r.parts > 1)
        return measured(watch, batches=len(sized.batches), split_sentences=split)

    return one_pass


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


def row_of(spec: dict, system: str, import_s: float) -> dict:
    return {"task": "translate", "system": system, "beams": spec["beams"], "dtype": spec.get("dtype"),
            "threads": spec["threads"], "import_s": import_s}  # fmt: skip


def timed(run: Pass, lengths: Lengths, sentences: list[dict]) -> dict:
    """One pass, and the share of its decoding work spent on rows already finished (a batch runs to
    its longest sentence)."""
    found = run(lengths)
    found["padding_share"] = round(1 - sum(s["new_tokens"] for s in sentences) / lengths.padded, 3)
    found["unknown_lengths"] = lengths.unknown
    return found


def finish(row: dict, sentences: list[dict]) -> dict:
    if row.get("skipped"):
        return row
    row.setdefault("rss_after_mb", rss_mb())
    row.setdefault("peak_rss_mb", peak_rss_mb())
    row["sentences"] = len(sentences)
    row["sentences_per_s"] = round(len(sentences) / row["seconds"], 3)
    row["tokens_per_s"] = round(sum(s["new_tokens"] for s in sentences) / row["seconds"], 1)
    return row


def mean_pass(passes: list[dict]) -> dict:
    seconds = sum(p["seconds"] for p in passes) / len(passes)
    cpu_s = sum(p["cpu_s"] for p in passes) / len(passes)
    busy = [p["others_cpu_share"] for p in passes]  # None where /proc/stat could not be read
    return {**passes[0], "seconds": round(seconds, 3), "cpu_s": round(cpu_s, 2),
            "cores_used": round(cpu_s / seconds, 2), "passes_s": [p["seconds"] for p in passes],
            "others_cpu_share": None if None in busy else max(busy)}  # fmt: skip


def pair(spec: dict, texts: list[str], one: Callable[[Pass], dict], import_s: float) -> list[dict]:
    """Two rows in one process, their passes in PAIR_ORDER. The first row's RSS is read before the
    second row's model loads."""
    rows: list[dict] = []
    runs: dict[int, tuple[Pass, list[dict]]] = {}
    for at in PAIR_ORDER:
        if at >= len(rows):  # the row's first pass: load it
            system = PAIRS[spec["system"]][at]
            rows.append(row_of(spec, system, import_s))
            try:
                runs[at] = (SYSTEMS[system]({**spec, "system": system}, texts, rows[at]), [])
            except Unavailable as why:
                rows[at]["skipped"] = str(why)
        if at in runs:
            runs[at][1].append(one(runs[at][0]))
            if at == 0 and len(runs[at][1]) == 1:
                rows[at]["rss_after_mb"], rows[at]["peak_rss_mb"] = rss_mb(), peak_rss_mb()
    for at, (_run, passes) in runs.items():
        rows[at].update(mean_pass(passes))
    if len(runs) == len(rows):
        rows[-1]["rss_note"] = f"{rows[0]['system']}'s model loaded too"
    return rows


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
    from transformers import MarianTokenizer

    ids = MarianTokenizer.from_pretrained(spec["model"], local_files_only=True)(texts)["input_ids"]

    def one(run: Pass) -> dict:
        return timed(run, Lengths(ids, [s["new_tokens"] for s in sentences], spec["ratio"]), sentences)

    if spec["system"] in PAIRS:
        print(json.dumps([finish(row, sentences) for row in pair(spec, texts, one, import_s)]))
        return 0
    row = row_of(spec, spec["system"], import_s)
    try:
        row.update(one(SYSTEMS[spec["system"]](spec, texts, row)))
    except Unavailable as why:
        row["skipped"] = str(why)
    print(json.dumps(finish(row, sentences)))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    sys.exit(main(sys.argv[1]))
