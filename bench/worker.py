"""One benchmark row, in a process of its own (so that peak RSS and load time are per system).

Run by bench/run.py as ``python bench/worker.py SPEC.json``; prints one JSON object (the row)
as its last line of stdout. SPEC holds: system ("naive" | "torch"), beams, model (folder or hub
id), sentences_file (JSON list of strings), new_tokens, threads.

Both systems decode with ``pipeline.backends.generation_kwargs(beams, K)`` (deterministic, the
same early_stopping rule) plus ``min_new_tokens = K``, so every sentence gets exactly K new
tokens whatever the weights; the only intended differences are the ones under test:

- naive: ``MarianMTModel.generate()`` on one sentence at a time, float32, ``use_cache=False``.
- torch: ``pipeline.translate.Translator.translate_sentences`` over
  ``pipeline.backends.TorchMarianBackend`` (nlbrief's own loading, length-sorted batches under
  the token budget, ``torch.inference_mode``, KV cache). The Translator's per-batch length bound
  is replaced by K through a pass-through wrapper of the backend, and ``min_new_tokens = K`` is set
  on the model's generation_config; batching, encoding and decoding are nlbrief's, unchanged.
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
    """Passes everything to nlbrief's backend, but every batch asks for exactly ``new_tokens``."""

    def __init__(self, inner, new_tokens: int) -> None:
        self.inner = inner
        self.name = inner.name
        self.max_input_tokens = inner.max_input_tokens
        self.new_tokens = new_tokens
        self.batch_sizes: list[int] = []
        self.generated: list[int] = []

    def encode(self, texts):
        return self.inner.encode(texts)

    def generate(self, batch, max_new_tokens):
        outputs = self.inner.generate(batch, self.new_tokens)
        self.batch_sizes.append(len(batch))
        self.generated.extend(count_generated(row, self.inner.pad_id) for row in outputs)
        return outputs

    def decode(self, outputs):
        return self.inner.decode(outputs)


def count_generated(row, pad_id: int) -> int:
    """New tokens in one output row: everything after the decoder start, up to padding."""
    body = list(row[1:])
    while body and body[-1] == pad_id:
        body.pop()
    return len(body)


def run_naive(spec: dict, sentences: list[str], row: dict) -> None:
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    from pipeline.backends import generation_kwargs
    from pipeline.models import locate_model

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

    def translate(sentence: str, new_tokens: int) -> tuple[str, int, int]:
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
        return text, int(enc["input_ids"].shape[1]), count_generated(out[0].tolist(), pad_id)

    started = time.perf_counter()
    translate(WARMUP_SENTENCE, WARMUP_NEW_TOKENS)
    row["warmup_s"] = time.perf_counter() - started
    truncated = 0

    row["loadavg_before"] = os.getloadavg()[0]
    generated: list[int] = []
    input_tokens = 0
    with Stopwatch() as watch:
        for sentence in sentences:
            _, n_in, n_out = translate(sentence, k)
            input_tokens += n_in
            generated.append(n_out)
    watch.record(row)
    row["loadavg_after"] = os.getloadavg()[0]
    row["input_tokens"] = input_tokens
    row["sentences_truncated"] = truncated
    row["generated"] = generated
    row["batches"] = len(sentences)
    row["max_batch"] = 1


def run_torch(spec: dict, sentences: list[str], row: dict) -> None:
    import torch

    from pipeline.backends import BackendOptions, create_backend
    from pipeline.models import locate_model
    from pipeline.translate import TranslateSettings, Translator

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
    fixed = FixedLengthBackend(backend, k)
    settings = TranslateSettings(beams=beams, language_check=False)
    translator = Translator(fixed, settings)
    row["batch_tokens"] = settings.batch_tokens

    row["loadavg_before"] = os.getloadavg()[0]
    with Stopwatch() as watch:
        results = translator.translate_sentences(sentences)
    watch.record(row)
    row["loadavg_after"] = os.getloadavg()[0]
    if len(results) != len(sentences):
        raise RuntimeError("the Translator returned a different number of sentences")
    row["input_tokens"] = sum(r.tokens for r in results)
    row["sentences_split"] = sum(1 for r in results if r.parts > 1)
    row["generated"] = fixed.generated
    row["batches"] = len(fixed.batch_sizes)
    row["max_batch"] = max(fixed.batch_sizes)


def main(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    threads = int(spec["threads"])
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    sentences = json.loads(Path(spec["sentences_file"]).read_text(encoding="utf-8"))

    started = time.perf_counter()
    import torch
    import transformers
    from transformers import MarianMTModel, MarianTokenizer  # noqa: F401 - imported here to time it
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    torch.set_num_threads(threads)
    row: dict = {
        "task": "translate",
        "system": spec["system"],
        "beams": spec["beams"],
        "threads": threads,
        "sentences": len(sentences),
        "new_tokens": spec["new_tokens"],
        "import_s": time.perf_counter() - started,
        "torch": torch.__version__,
        "transformers": transformers.__version__,
    }
    if spec["system"] == "naive":
        run_naive(spec, sentences, row)
    elif spec["system"] == "torch":
        run_torch(spec, sentences, row)
    else:
        raise SystemExit(f"unknown system {spec['system']!r}")

    generated = row.pop("generated")
    total = sum(generated)
    row["generated_tokens"] = total
    row["all_rows_exactly_k"] = all(n == spec["new_tokens"] for n in generated)
    row["min_generated"], row["max_generated"] = min(generated), max(generated)
    row["items_per_s"] = len(sentences) / row["seconds"]
    row["tokens_per_s"] = total / row["seconds"]
    row["peak_rss_mb"] = peak_rss_mb()
    row["tokens_per_cpu_s"] = total / row["cpu_s"]
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
        row[key] = round(row[key], 3)
    print(json.dumps(row))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python bench/worker.py SPEC.json")
    sys.exit(main(sys.argv[1]))
