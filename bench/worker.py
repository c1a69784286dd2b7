"""One benchmark row, in a process of its own (so that peak RSS and load time are per system).

Run by bench/run.py as ``python bench/worker.py SPEC.json``; prints one JSON object (the row)
as its last line of stdout. SPEC holds: system ("naive" | "torch" | "ctranslate2"), beams, model
(folder or hub id), sentences_file (JSON list of strings), new_tokens, threads; for ctranslate2
also compute_type (and action "convert" for the one-time conversion step, which prints its own
small JSON object instead of a row); for the translation-memory row memory ("second pass") and
memory_db (a SQLite file in a temporary folder).

Every system decodes with nlbrief's settings
(``pipeline.translate.backends.contract.generation_kwargs(beams, K)`` for torch and naive, the
CTranslate2 backend's own equivalent) plus a minimum length of K, so every sentence gets exactly K
new tokens whatever the weights; the only intended differences are the ones under test:

- naive: ``MarianMTModel.generate()`` on one sentence at a time, float32, ``use_cache=False``.
- torch: ``pipeline.translate.translator.Translator.translate_sentences`` over
  ``pipeline.translate.backends.torch_marian.TorchMarianBackend`` (nlbrief's own loading,
  length-sorted batches under the token budget, ``torch.inference_mode``, KV cache). The
  Translator's per-batch length bound is replaced by K through a pass-through wrapper of the
  backend, and ``min_new_tokens = K`` is set on the model's generation_config; batching, encoding
  and decoding are nlbrief's, unchanged.
- ctranslate2: the same Translator over ``pipeline.translate.backends.ct2_marian.CT2MarianBackend``
  (int8 by default), the model converted beforehand by a separate ``action: convert`` process into
  ``$NLBRIEF_CACHE_DIR`` (a temporary folder of bench/run.py). The backend has no minimum-length
  option, so a pass-through around its ``ctranslate2.Translator`` sets ``min_decoding_length``
  to the ``max_decoding_length`` the backend asks for (K).
- torch with ``memory``: the torch row's Translator with ``pipeline.translate.memory.TranslationMemory``
  (through ``MemoryAdapter``); the corpus is translated once (timed as the first pass, filling the
  memory) and again (the second pass, all lookups; the median of a few repeats is the row's time).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

WARMUP_NEW_TOKENS = 2
WARMUP_SENTENCE = "Dit is een korte zin om op te warmen."  # untimed, before each timed run


def vm_kib(field: str) -> int | None:
    """A field of /proc/self/status in KiB (VmHWM = peak RSS, VmRSS = current)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MB (2**20 bytes); ru_maxrss is KiB on Linux."""
    hwm = vm_kib("VmHWM")
    kib = hwm if hwm is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(kib / 1024, 1)


def cpu_seconds() -> float:
    """User plus system CPU time of this process so far (all its threads)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def machine_busy_seconds() -> float | None:
    """CPU seconds spent busy by the whole machine (all processes, all cores) since boot."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    busy = sum(fields[:8]) - idle  # user nice system idle iowait irq softirq steal
    return busy / os.sysconf("SC_CLK_TCK")


class Stopwatch:
    """Wall time, this process's CPU time, and the CPU time every other process took meanwhile."""

    def __enter__(self):
        self.busy0, self.cpu0, self.wall0 = machine_busy_seconds(), cpu_seconds(), time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.wall0
        self.cpu_s = cpu_seconds() - self.cpu0
        busy1 = machine_busy_seconds()
        self.others_cpu_s = (
            None if busy1 is None or self.busy0 is None else max(0.0, busy1 - self.busy0 - self.cpu_s)
        )
        return False

    def record(self, row: dict) -> None:
        row["seconds"] = self.seconds
        row["cpu_s"] = self.cpu_s
        if self.others_cpu_s is not None:
            # Share of the machine's CPU capacity that other processes used during the timed loop.
            row["others_cpu_share"] = round(self.others_cpu_s / (self.seconds * (os.cpu_count() or 1)), 3)


def rss_mb() -> float | None:
    kib = vm_kib("VmRSS")
    return None if kib is None else round(kib / 1024, 1)


class FixedLengthBackend:
    """Passes everything to nlbrief's backend, but every batch asks for exactly ``new_tokens``.

    ``new_ids(row)`` gives the generated ids of one output row (backends differ in what a row
    holds); their count is the row's new tokens, the same measure for every system.
    """

    def __init__(self, inner, new_tokens: int, new_ids) -> None:
        self.inner = inner
        self.name = inner.name
        self.max_input_tokens = inner.max_input_tokens
        self.unknown_id = inner.unknown_id
        self.new_tokens = new_tokens
        self.new_ids = new_ids
        self.eos_id = inner.tokenizer.eos_token_id
        self.batch_sizes: list[int] = []
        self.generated: list[int] = []
        self.ends_with_eos = 0

    def encode(self, texts):
        return self.inner.encode(texts)

    def generate(self, batch, max_new_tokens, beams=None):
        outputs = self.inner.generate(batch, self.new_tokens, beams)
        self.batch_sizes.append(len(batch))
        for row in outputs:
            ids = self.new_ids(row)
            self.generated.append(len(ids))
            self.ends_with_eos += bool(ids) and ids[-1] == self.eos_id
        return outputs

    def decode(self, outputs):
        return self.inner.decode(outputs)


def marian_new_ids(row, pad_id: int) -> list[int]:
    """Generated ids of one transformers output row: everything after the decoder start, up to padding."""
    body = list(row[1:])
    while body and body[-1] == pad_id:
        body.pop()
    return body


def backend_new_ids(row) -> list[int]:
    """Generated ids of one row of an nlbrief backend (torch or CTranslate2): it holds only those (no
    decoder start, no padding; ``</s>`` included when the model ended), so all of them."""
    return list(row)


class MinLengthTranslator:
    """Pass-through around a ``ctranslate2.Translator``: every ``translate_batch`` also gets
    ``min_decoding_length = max_decoding_length``, so no hypothesis ends before the bound.

    Stand-in for a minimum-length option that ``CT2MarianBackend`` lacks (it passes
    ``min_decoding_length=0``); everything else (beams, penalties, suppressed sequences,
    ``return_end_token``) is the backend's own call, unchanged.
    """

    def __init__(self, inner) -> None:
        self.inner = inner

    def translate_batch(self, source, *args, **kwargs):
        kwargs["min_decoding_length"] = kwargs["max_decoding_length"]
        return self.inner.translate_batch(source, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def run_naive(spec: dict, sentences: list[str], row: dict) -> None:
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    from pipeline.models.locate import locate_model
    from pipeline.translate.backends.contract import generation_kwargs

    beams, k = spec["beams"], spec["new_tokens"]
    started = time.perf_counter()
    path = str(locate_model(spec["model"], download=False).path)
    tokenizer = MarianTokenizer.from_pretrained(path, local_files_only=True)
    model = MarianMTModel.from_pretrained(path, local_files_only=True, dtype=torch.float32).eval()
    row["load_s"] = time.perf_counter() - started
    row["rss_after_load_mb"] = rss_mb()
    row["parameters"] = sum(p.numel() for p in model.parameters())
    row["dtype"] = str(next(model.parameters()).dtype).replace("torch.", "")
    pad_id = int(model.config.pad_token_id)
    row["max_input_tokens"] = min(
        int(v)
        for v in (model.config.max_position_embeddings, tokenizer.model_max_length)
        if v and int(v) < 1_000_000
    )

    limit = row["max_input_tokens"]
    truncated = 0

    def translate(sentence: str, new_tokens: int) -> tuple[str, int, list[int]]:
        # Inputs over the model's limit would raise IndexError; a naive caller truncates them
        # (nlbrief splits them instead). Counted in row["sentences_truncated"].
        nonlocal truncated
        enc = tokenizer([sentence], return_tensors="pt")
        if enc["input_ids"].shape[1] > limit:
            truncated += 1
            enc = tokenizer([sentence], return_tensors="pt", truncation=True, max_length=limit)
        kwargs = generation_kwargs(beams, new_tokens)
        out = model.generate(**enc, **kwargs, min_new_tokens=new_tokens, use_cache=False)
        text = tokenizer.batch_decode(out, skip_special_tokens=True)[0].strip()
        return text, int(enc["input_ids"].shape[1]), marian_new_ids(out[0].tolist(), pad_id)

    started = time.perf_counter()
    translate(WARMUP_SENTENCE, WARMUP_NEW_TOKENS)
    row["warmup_s"] = time.perf_counter() - started
    truncated = 0

    row["loadavg_before"] = os.getloadavg()[0]
    generated: list[int] = []
    ends_with_eos = 0
    input_tokens = 0
    with Stopwatch() as watch:
        for sentence in sentences:
            _, n_in, new_ids = translate(sentence, k)
            input_tokens += n_in
            generated.append(len(new_ids))
            ends_with_eos += bool(new_ids) and new_ids[-1] == tokenizer.eos_token_id
    watch.record(row)
    row["loadavg_after"] = os.getloadavg()[0]
    row["input_tokens"] = input_tokens
    row["sentences_truncated"] = truncated
    row["generated"] = generated
    row["ends_with_eos"] = ends_with_eos
    row["batches"] = len(sentences)
    row["max_batch"] = 1


def load_torch(spec: dict, row: dict):
    """nlbrief's torch backend, warmed up, behind the fixed-length wrapper."""
    import torch

    from pipeline.models.locate import locate_model
    from pipeline.translate.backends.contract import BackendOptions
    from pipeline.translate.backends.registry import create_backend

    beams, k = spec["beams"], spec["new_tokens"]
    started = time.perf_counter()
    source = locate_model(spec["model"], download=False)
    backend = create_backend(
        "torch", source, BackendOptions(beams=beams, device="cpu", threads=spec["threads"])
    )
    row["load_s"] = time.perf_counter() - started
    row["rss_after_load_mb"] = rss_mb()
    row["max_input_tokens"] = backend.max_input_tokens
    row["parameters"] = sum(p.numel() for p in backend.model.parameters())
    row["dtype"] = str(next(backend.model.parameters()).dtype).replace("torch.", "")
    if torch.get_num_threads() != spec["threads"]:
        raise RuntimeError(f"backend left {torch.get_num_threads()} threads, wanted {spec['threads']}")

    started = time.perf_counter()
    backend.generate(backend.encode([WARMUP_SENTENCE]), WARMUP_NEW_TOKENS)
    row["warmup_s"] = time.perf_counter() - started

    backend.model.generation_config.min_new_tokens = k
    return FixedLengthBackend(backend, k, backend_new_ids)


def load_ct2(spec: dict, row: dict):
    """nlbrief's CTranslate2 backend on a model converted beforehand, warmed up, at fixed length."""
    from pipeline.models.locate import locate_model
    from pipeline.translate.backends import ct2_marian as backend_ct2
    from pipeline.translate.backends.contract import BackendOptions
    from pipeline.translate.backends.registry import create_backend

    options = BackendOptions(
        beams=spec["beams"], device="cpu", threads=spec["threads"], compute_type=spec["compute_type"]
    )
    started = time.perf_counter()
    source = locate_model(spec["model"], download=False)
    backend = create_backend("ctranslate2", source, options)
    row["load_s"] = time.perf_counter() - started
    if backend_ct2.conversions:  # the convert step must have filled $NLBRIEF_CACHE_DIR; load_s is a load only
        raise RuntimeError(f"the row converted the model itself (cache {backend_ct2.cache_root()})")
    row["rss_after_load_mb"] = rss_mb()
    row["max_input_tokens"] = backend.max_input_tokens
    row["dtype"] = backend.compute_type
    row["ct2_threads"] = backend.threads
    row["ct2_model_mb"] = round(folder_bytes(backend.model_dir) / 2**20, 1)

    started = time.perf_counter()
    backend.generate(backend.encode([WARMUP_SENTENCE]), WARMUP_NEW_TOKENS)
    row["warmup_s"] = time.perf_counter() - started

    backend.translator = MinLengthTranslator(backend.translator)
    return FixedLengthBackend(backend, spec["new_tokens"], backend_new_ids)


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file())


def translate_rows(spec: dict, sentences: list[str], row: dict) -> None:
    """A torch or ctranslate2 row: nlbrief's Translator over the backend, once, timed."""
    from pipeline.translate.translator import TranslateSettings, Translator

    fixed = load_ct2(spec, row) if spec["system"] == "ctranslate2" else load_torch(spec, row)
    # Every sentence is checked in the timed loop, as nlbrief checks it; second tries are not made here:
    # random weights flag nearly every sentence, at a rate no real model has, and what they cost is
    # measured where it belongs, in the process task (bench/checks_cost.py).
    settings = TranslateSettings(beams=spec["beams"], language_check=False, retry=False)
    row["batch_tokens"] = settings.batch_tokens
    row["checks_load_s"] = warm_up_checks()
    if spec.get("memory"):
        run_memory(spec, sentences, row, fixed, settings)
        return
    translator = Translator(fixed, settings)

    row["loadavg_before"] = os.getloadavg()[0]
    with Stopwatch() as watch:
        results = translator.translate_sentences(sentences)
    watch.record(row)
    row["loadavg_after"] = os.getloadavg()[0]
    finish_translated(row, sentences, results, fixed)


def warm_up_checks() -> float:
    """The checks' tables (lexicons, CLDR, city names) read once per process, untimed like the model's
    load: the seconds they took."""
    from pipeline.checks.sentence import check_sentence

    started = time.perf_counter()
    check_sentence(WARMUP_SENTENCE, "This is a short sentence to warm up.")
    return round(time.perf_counter() - started, 2)


def finish_translated(row: dict, sentences: list[str], results: list, fixed: FixedLengthBackend) -> None:
    if len(results) != len(sentences):
        raise RuntimeError("the Translator returned a different number of sentences")
    row["input_tokens"] = sum(r.tokens for r in results)
    row["sentences_split"] = sum(1 for r in results if r.parts > 1)
    row["generated"] = fixed.generated
    row["ends_with_eos"] = fixed.ends_with_eos
    row["batches"] = len(fixed.batch_sizes)
    row["max_batch"] = max(fixed.batch_sizes)


SECOND_PASS_REPEATS = 5  # the second pass takes milliseconds: the median of a few is steadier


def run_memory(spec: dict, sentences: list[str], row: dict, fixed: FixedLengthBackend, settings) -> None:
    """First pass fills a fresh translation memory, second pass is answered from it; both timed."""
    from pipeline.translate.memory import MemoryAdapter, TranslationMemory
    from pipeline.translate.translator import Translator

    db = Path(spec["memory_db"])
    if db.exists():
        raise RuntimeError(f"{db} exists: the memory row needs a fresh database")
    warnings: list[str] = []
    memory = TranslationMemory(db, on_warning=warnings.append)
    fields = {
        "model": spec["model"],
        "backend": fixed.name,
        **settings.fingerprint_fields(),
        "bench_new_tokens": spec["new_tokens"],
    }
    adapter = MemoryAdapter(memory, fields)
    translator = Translator(fixed, settings, memory=adapter)
    row["memory"] = "second pass"

    row["loadavg_before"] = os.getloadavg()[0]
    with Stopwatch() as first:
        first_results = translator.translate_sentences(sentences)
    finish_translated(row, sentences, first_results, fixed)
    batches_after_first = len(fixed.batch_sizes)

    passes = []
    for _ in range(SECOND_PASS_REPEATS):
        with Stopwatch() as watch:
            results = translator.translate_sentences(sentences)
        passes.append(watch)
    row["loadavg_after"] = os.getloadavg()[0]
    memory.close()
    if warnings or not memory.enabled:
        raise RuntimeError(f"the translation memory failed: {warnings}")
    if len(fixed.batch_sizes) != batches_after_first or not all(r.cached for r in results):
        raise RuntimeError("the second pass generated again instead of reading the memory")
    if [r.target for r in results] != [r.target for r in first_results]:
        raise RuntimeError("the second pass returned other translations than the first")

    median = sorted(passes, key=lambda w: w.seconds)[len(passes) // 2]
    median.record(row)  # the row's seconds / cpu_s / others: the median second pass
    row["first_pass_s"] = round(first.seconds, 3)
    row["first_pass_cpu_s"] = round(first.cpu_s, 3)
    if first.others_cpu_s is not None:
        row["first_pass_others_cpu_share"] = round(
            first.others_cpu_s / (first.seconds * (os.cpu_count() or 1)), 3
        )
    row["second_pass_s_each"] = [round(w.seconds, 5) for w in passes]
    row["speedup_vs_first_pass"] = round(first.seconds / row["seconds"], 1)
    row["memory_hits"] = len(set(sentences))
    row["memory_entries"] = adapter.stored
    row["tokens_note"] = "tokens_per_s of the second pass counts the tokens generated in the first pass"


def convert_ct2(spec: dict) -> dict:
    """The one-time conversion to CTranslate2, in a process of its own (its peak RSS is not a row's)."""
    import torch  # noqa: F401 - imported before the clock: the converter loads the model with it
    import transformers  # noqa: F401

    from pipeline.models.locate import locate_model
    from pipeline.translate.backends import ct2_marian as backend_ct2

    source = locate_model(spec["model"], download=False)
    target = backend_ct2.converted_dir(source, spec["compute_type"])
    if backend_ct2.is_complete(target):
        raise RuntimeError(f"{target} exists already: conversion is timed into a fresh cache only")
    started = time.perf_counter()
    folder = backend_ct2.ensure_converted(source, spec["compute_type"])
    seconds = time.perf_counter() - started
    return {
        "convert_s": round(seconds, 3),
        "convert_peak_rss_mb": peak_rss_mb(),
        "ct2_model_mb": round(folder_bytes(folder) / 2**20, 1),
        "compute_type": spec["compute_type"],
        "conversions": backend_ct2.conversions,
    }


def main(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    threads = int(spec["threads"])
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    system = spec["system"]
    if system not in {"naive", "torch", "ctranslate2"}:
        raise SystemExit(f"unknown system {system!r}")

    started = time.perf_counter()
    import transformers
    from transformers.utils import logging as hf_logging

    versions = {"transformers": transformers.__version__}
    if system == "ctranslate2":
        # No torch here: nlbrief's CTranslate2 path does not need it, and the row's RSS must not pay for it.
        import ctranslate2
        from transformers import MarianTokenizer  # noqa: F401 - imported here to time it

        versions["ctranslate2"] = ctranslate2.__version__
    else:
        import torch
        from transformers import MarianMTModel, MarianTokenizer  # noqa: F401 - imported here to time it

        torch.set_num_threads(threads)
        versions["torch"] = torch.__version__
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    import_s = time.perf_counter() - started

    if spec.get("action") == "convert":
        print(json.dumps({"import_s": round(import_s, 3), **convert_ct2(spec)}))
        return 0

    sentences = json.loads(Path(spec["sentences_file"]).read_text(encoding="utf-8"))
    row: dict = {
        "task": "translate",
        "system": system,
        "beams": spec["beams"],
        "threads": threads,
        "sentences": len(sentences),
        "new_tokens": spec["new_tokens"],
        "import_s": import_s,
        **versions,
    }
    if system == "naive":
        run_naive(spec, sentences, row)
    else:
        translate_rows(spec, sentences, row)
    row["torch_imported"] = "torch" in sys.modules

    generated = row.pop("generated")
    total = sum(generated)
    row["generated_tokens"] = total
    row["all_rows_exactly_k"] = all(n == spec["new_tokens"] for n in generated)
    row["min_generated"], row["max_generated"] = min(generated), max(generated)
    row["items_per_s"] = len(sentences) / row["seconds"]
    row["tokens_per_s"] = total / row["seconds"]
    row["peak_rss_mb"] = peak_rss_mb()
    row["tokens_per_cpu_s"] = total / row["cpu_s"] if row["cpu_s"] > 0 else None
    for key in (
        "import_s",
        "load_s",
        "warmup_s",
        "seconds",
        "cpu_s",
        "items_per_s",
        "tokens_per_s",
        "tokens_per_cpu_s",
    ):
        if row.get(key) is not None:
            row[key] = round(row[key], 6 if key in {"seconds", "cpu_s"} else 3)
    print(json.dumps(row))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python bench/worker.py SPEC.json")
    sys.exit(main(sys.argv[1]))
