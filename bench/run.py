"""Translation benchmark: naive per-sentence ``generate()`` against nlbrief's torch backend path.

    python bench/run.py [--translator-model DIR_OR_ID] [--corpus PATH] [--sentences N]
                        [--beams 1 4] [--new-tokens K] [--threads T] [--out bench/results/latest.json]

Every (system, beams) row runs in a fresh process (bench/worker.py) so that its peak RSS and
load time are its own. See bench/README.md for what is measured and the caveats.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DEFAULT_CORPUS = "../shared/data/parallel/flores200-devtest.nld-eng.tsv"  # relative to the repository
FALLBACK_CORPUS = "examples/nieuws"
CORPUS_COLUMN = "nld_Latn"
SYSTEMS = ("naive", "torch")
BUSY_SHARE = 0.05  # warn when other processes took more than this share of the CPUs during a row


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--translator-model",
        metavar="DIR_OR_ID",
        help="a MarianMT folder or cached hub id, loaded with its own tokenizer "
        "(default: a random-weight opus-mt-nl-en-shaped model built once in bench/.models/)",
    )
    ap.add_argument(
        "--corpus",
        metavar="PATH",
        help=f"a TSV with a {CORPUS_COLUMN} column, or a folder of articles "
        f"(default: {DEFAULT_CORPUS} if present, else {FALLBACK_CORPUS})",
    )
    ap.add_argument("--sentences", type=int, default=32, metavar="N", help="first N sentences (default 32)")
    ap.add_argument("--beams", type=int, nargs="+", default=[1, 4], help="beam settings (default 1 4)")
    ap.add_argument(
        "--new-tokens",
        type=int,
        default=24,
        metavar="K",
        help="new tokens per sentence, exactly (default 24)",
    )
    ap.add_argument(
        "--threads", type=int, metavar="T", help="torch threads (default torch.get_num_threads())"
    )
    ap.add_argument(
        "--systems",
        nargs="+",
        choices=SYSTEMS,
        default=list(SYSTEMS),
        help="systems to run (default naive torch)",
    )
    ap.add_argument("--out", default="bench/results/latest.json", help="JSON results (relative to the repo)")
    args = ap.parse_args(argv)
    if args.sentences < 1 or args.new_tokens < 1 or any(b < 1 for b in args.beams):
        ap.error("--sentences, --new-tokens and --beams must be positive")
    return args


# ---------------------------------------------------------------------------------------------
# Corpus
# ---------------------------------------------------------------------------------------------


def tsv_sentences(path: Path, n: int) -> list[str]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        if CORPUS_COLUMN not in (reader.fieldnames or []):
            raise SystemExit(f"{path}: no {CORPUS_COLUMN} column (columns: {reader.fieldnames})")
        out = []
        for record in reader:
            text = (record[CORPUS_COLUMN] or "").strip()
            if text:
                out.append(text)
            if len(out) == n:
                break
    return out


def article_sentences(folder: Path, n: int) -> list[str]:
    """Paragraphs as nlbrief reads them (pipeline.sources), split by pipeline.segment.split_sentences."""
    from pipeline.discover import SourceFile
    from pipeline.segment import split_sentences
    from pipeline.sources import read_document

    out: list[str] = []
    for path in sorted(p for p in folder.rglob("*") if p.suffix in {".txt", ".md"} and p.is_file()):
        doc = read_document(SourceFile(path, folder, path.relative_to(folder).as_posix()))
        for unit in doc.units():
            out.extend(s.strip() for s in split_sentences(unit.text) if s.strip())
    return out[:n]


def load_corpus(spec: str | None, n: int) -> tuple[list[str], str]:
    if spec is None:
        default = (REPO / DEFAULT_CORPUS).resolve()
        if default.is_file():
            return tsv_sentences(default, n), f"{DEFAULT_CORPUS} ({CORPUS_COLUMN}, first {n})"
        print(f"note: {DEFAULT_CORPUS} is absent; using the sentences of {FALLBACK_CORPUS}/*")
        return article_sentences(
            REPO / FALLBACK_CORPUS, n
        ), f"{FALLBACK_CORPUS}/* (split_sentences, first {n})"
    path = Path(spec).expanduser()
    if not path.is_absolute() and not path.exists():
        path = REPO / spec
    if path.is_dir():
        return article_sentences(path, n), f"{spec} (articles, split_sentences, first {n})"
    if path.is_file():
        return tsv_sentences(path, n), f"{spec} ({CORPUS_COLUMN}, first {n})"
    raise SystemExit(f"--corpus {spec}: no such file or folder")


# ---------------------------------------------------------------------------------------------
# Machine
# ---------------------------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def cpu_flags() -> list[str]:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                return sorted(f for f in flags if f.startswith(("avx", "fma", "amx")))
    except OSError:
        pass
    return []


def machine_info(torch_version: str, transformers_version: str) -> dict[str, object]:
    return {
        "cpu_model": cpu_model(),
        "cores": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu_flags": cpu_flags(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "torch": torch_version,
        "transformers": transformers_version,
    }


# ---------------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------------


def run_worker(spec: dict, workdir: Path) -> dict:
    spec_path = workdir / f"spec-{spec['system']}-{spec['beams']}.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(BENCH / "worker.py"), str(spec_path)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise SystemExit(f"worker {spec['system']} beams={spec['beams']} failed (exit {proc.returncode})")
    row = json.loads(proc.stdout.strip().splitlines()[-1])
    row["process_s"] = round(time.perf_counter() - started, 1)
    return row


def fmt_table(rows: list[dict]) -> str:
    head = [
        "system",
        "beams",
        "sent/s",
        "tok/s",
        "peak RSS MB",
        "load s",
        "run s",
        "batches",
        "exact K",
        "others",
    ]
    lines = [head]
    for r in rows:
        lines.append(
            [
                r["system"],
                str(r["beams"]),
                f"{r['items_per_s']:.2f}",
                f"{r['tokens_per_s']:.1f}",
                f"{r['peak_rss_mb']:.0f}",
                f"{r['load_s']:.2f}",
                f"{r['seconds']:.1f}",
                f"{r['batches']} (max {r['max_batch']})",
                "yes" if r["all_rows_exactly_k"] else f"NO ({r['min_generated']}-{r['max_generated']})",
                f"{r['others_cpu_share']:.0%}" if r.get("others_cpu_share") is not None else "?",
            ]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = []
    for i, line in enumerate(lines):
        out.append(
            "  ".join(
                c.ljust(w) if j == 0 else c.rjust(w)
                for j, (c, w) in enumerate(zip(line, widths, strict=True))
            )
        )
        if i == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def speedups(rows: list[dict]) -> dict[str, float]:
    out = {}
    for beams in sorted({r["beams"] for r in rows}):
        by = {r["system"]: r for r in rows if r["beams"] == beams}
        if "naive" in by and "torch" in by and by["naive"]["tokens_per_s"] > 0:
            out[f"beams={beams}"] = round(by["torch"]["tokens_per_s"] / by["naive"]["tokens_per_s"], 2)
    return out


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    python = (
        os.path.relpath(sys.executable, REPO) if Path(sys.executable).is_relative_to(REPO) else sys.executable
    )
    command = " ".join(shlex.quote(a) for a in [python, "bench/run.py", *sys.argv[1:]])
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    import torch
    import transformers

    threads = args.threads or torch.get_num_threads()
    machine = machine_info(torch.__version__, transformers.__version__)
    loadavg_start = os.getloadavg()

    sentences, corpus_desc = load_corpus(args.corpus, args.sentences)
    if not sentences:
        raise SystemExit("the corpus gave no sentences")
    if len(sentences) < args.sentences:
        print(f"note: the corpus has only {len(sentences)} sentences")

    if args.translator_model:
        model_spec = args.translator_model
        model_desc = f"{args.translator_model} (its own weights and tokenizer)"
        tokenizer_desc = "the model's own tokenizer"
        built: dict = {}
    else:
        import random_model  # bench/random_model.py (bench/ is sys.path[0] when run as a script)

        folder = random_model.build(random_model.DEFAULT_DIR)
        built = random_model.build_info(folder)
        model_spec = str(folder)
        model_desc = (
            "random-weight MarianMT with the architecture of Helsinki-NLP/opus-mt-nl-en (d_model 512, 6+6 "
            "layers, 8 heads, ffn 2048, vocab 67028, pad = decoder_start = 67027, eos 0, 512 static "
            f"sinusoidal positions, tied embeddings, swish), {built['parameters']:,} parameters, "
            f"built once by bench/random_model.py into {folder.relative_to(REPO)}"
        )
        tokenizer_desc = (
            "the tiny test translator's sentencepiece models (tests/tiny_models.py, "
            f"{built['tokenizer_pieces']} pieces); their ids are used unchanged (all < 67027) and "
            "vocab.json is padded with placeholder pieces to 67028 entries, <pad> = 67027. Input lengths "
            "therefore come from a small sentencepiece vocabulary and are longer than the real opus-mt "
            "tokenizer would give"
        )
    length_rule = (
        f"every sentence generates exactly {args.new_tokens} new tokens (min_new_tokens = max_new_tokens = "
        f"{args.new_tokens}; the last one is the forced </s>), for both systems"
    )

    print(f"model:     {model_desc}")
    if built:
        print(f"           parameters: {built['parameters']:,} ({built['parameters'] / 1e6:.1f} M)")
    print(f"tokenizer: {tokenizer_desc}")
    print(f"corpus:    {corpus_desc}: {len(sentences)} sentences")
    print(f"length:    {length_rule}")
    print(
        f"machine:   {machine['cpu_model']}, {machine['cores']} cores, torch {machine['torch']}, "
        f"transformers {machine['transformers']}, {threads} torch threads, "
        f"load average {loadavg_start[0]:.2f}"
    )
    print(
        "systems:   naive = MarianMTModel.generate() one sentence at a time, float32, use_cache=False;\n"
        "           torch = pipeline.translate.Translator over pipeline.backends.TorchMarianBackend "
        "(nlbrief's batching),\n"
        "                   with its per-batch length bound replaced by K (min_new_tokens = K)"
    )

    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="nlbrief-bench-") as tmp:
        workdir = Path(tmp)
        sentences_file = workdir / "sentences.json"
        sentences_file.write_text(json.dumps(sentences, ensure_ascii=False), encoding="utf-8")
        for beams in args.beams:
            for system in args.systems:
                print(f"running {system} beams={beams} on {len(sentences)} sentences ...", flush=True)
                spec = {
                    "system": system,
                    "beams": beams,
                    "model": model_spec,
                    "sentences_file": str(sentences_file),
                    "new_tokens": args.new_tokens,
                    "threads": threads,
                }
                row = run_worker(spec, workdir)
                rows.append(row)
                print(
                    f"  {row['tokens_per_s']:.1f} tok/s, {row['items_per_s']:.2f} sent/s, "
                    f"peak RSS {row['peak_rss_mb']:.0f} MB, load {row['load_s']:.2f} s, "
                    f"other processes {row.get('others_cpu_share', 0):.0%} of the CPUs",
                    flush=True,
                )

    ratios = speedups(rows)
    total_s = time.perf_counter() - started
    # nlbrief's rows count every input token; a naive row counts what is left after truncation.
    ref = next((r for r in rows if r["system"] == "torch"), rows[0])
    mean_in = ref["input_tokens"] / ref["sentences"]
    print()
    print(fmt_table(rows))
    print()
    for key, ratio in ratios.items():
        print(f"speedup torch/naive, {key}: {ratio:.2f}x")
    print(
        f"mean input length {mean_in:.1f} tokens/sentence; {args.new_tokens} new tokens/sentence; "
        f"{threads} threads; total {total_s:.0f} s"
    )
    truncated = max((r.get("sentences_truncated", 0) for r in rows), default=0)
    split = max((r.get("sentences_split", 0) for r in rows), default=0)
    if truncated or split:
        print(
            f"note: {truncated} sentences exceeded the model's input limit: naive truncated them, "
            f"nlbrief split {split} into parts (each part generates {args.new_tokens} tokens)"
        )
    busy = [r for r in rows if (r.get("others_cpu_share") or 0) > BUSY_SHARE]
    if busy:
        rows_text = ", ".join(f"{r['system']} beams={r['beams']} {r['others_cpu_share']:.0%}" for r in busy)
        print(
            f"warning: other processes took CPU time during the timed loops ({rows_text} of the CPUs); "
            "those numbers are low and noisy: rerun on a quiet machine"
        )

    result = {
        "command": command,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine,
        "settings": {
            "model": model_spec if args.translator_model else str(Path(model_spec).relative_to(REPO)),
            "model_description": model_desc,
            "random_weights": not args.translator_model,
            "parameters": rows[0].get("parameters"),
            "tokenizer": tokenizer_desc,
            "corpus": corpus_desc,
            "sentences": len(sentences),
            "mean_input_tokens": round(mean_in, 1),
            "beams": args.beams,
            "new_tokens": args.new_tokens,
            "output_length_rule": length_rule,
            "threads": threads,
            "warmup": "one untimed generate() of a short fixed Dutch sentence (2 new tokens) per process",
            "systems": {
                "naive": "MarianMTModel.from_pretrained + generate() per sentence, float32, use_cache=False, "
                "decoding settings pipeline.backends.generation_kwargs(beams, K) + min_new_tokens=K",
                "torch": "pipeline.models.locate_model + pipeline.backends.create_backend('torch') + "
                "pipeline.translate.Translator.translate_sentences (default TranslateSettings, batch_tokens "
                "2048, length-sorted batches under inference_mode); a pass-through wrapper replaces the "
                "Translator's per-batch max_new_tokens bound by K and generation_config.min_new_tokens = K",
            },
        },
        "loadavg_start": loadavg_start[0],
        "loadavg_end": os.getloadavg()[0],
        "total_s": round(total_s, 1),
        "speedup_torch_over_naive": ratios,
        "rows": rows,
    }
    out = Path(args.out)
    out = out if out.is_absolute() else REPO / out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(REPO) if out.is_relative_to(REPO) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
