"""Speed benchmark: translation and summarization, naive baselines against nlbrief's paths.

    python bench/run.py [--tasks translate summarize] [--systems ...] [--sentences N] [--beams 1 4]
                        [--new-tokens K] [--threads T] [--summarize-articles N] [--out PATH]

Translation rows: naive (per-sentence generate(), fp32, no KV cache), torch (nlbrief's Translator over
the torch backend), ctranslate2 (the same Translator over the CTranslate2 backend, int8), and torch with
the translation memory (second pass). Summarization rows: naive, torch fp32, torch int8. Every row runs
in a fresh process (bench/worker.py, bench/summarize_worker.py) so that its peak RSS and load time are
its own. One table, the ratios and the targets are printed; the rows go to bench/results/latest.json.
See bench/README.md for what is measured and the caveats.
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
SUMMARIZE_CORPUS = "../shared/data/parallel/ntrex128.docs.jsonl"  # relative to the repository
TASKS = ("translate", "summarize", "process")
# --systems picks rows by these names; a name a task does not have is skipped for that task.
TRANSLATE_SYSTEMS = ("naive", "torch", "ctranslate2", "torch-memory")
SUMMARIZE_SYSTEMS = ("naive", "torch", "torch-int8")
SYSTEMS = ("naive", "torch", "ctranslate2", "torch-memory", "torch-int8")
BUSY_SHARE = 0.05  # warn when other processes took more than this share of the CPUs during a row
GB = 1024  # MB per GB in the targets (peak_rss_mb is in MB of 2**20 bytes, so GB = 2**30 bytes)
# Targets of the "Speed" issue: (what, comparison, value, unit).
MEMORY_SPEEDUP_TARGET = 20.0  # second pass at least 20x faster than the first
RSS_TARGETS_GB = {"ctranslate2-int8": 0.6, "torch": 1.5}  # peak RSS of a translation row


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
    ap.add_argument(
        "--tasks", nargs="+", choices=TASKS, default=list(TASKS), help="tasks to run (default: all)"
    )
    ap.add_argument(
        "--process-articles",
        type=int,
        default=2,
        metavar="N",
        help="articles of the `nlbrief process` run measuring the checks (default 2; bench/checks_cost.py)",
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
        "--threads",
        type=int,
        metavar="T",
        help="threads of every row, torch and CTranslate2 alike (default torch.get_num_threads())",
    )
    ap.add_argument(
        "--systems",
        nargs="+",
        choices=SYSTEMS,
        default=list(SYSTEMS),
        help="rows to run (default: all). translate: naive, torch, ctranslate2, torch-memory (torch with "
        "the translation memory, second pass, at the largest --beams); summarize: naive, torch, torch-int8",
    )
    ap.add_argument(
        "--compute-type",
        default="int8",
        metavar="TYPE",
        help="CTranslate2 compute type of the ctranslate2 rows (default int8)",
    )
    ap.add_argument(
        "--summarize-articles",
        type=int,
        default=2,
        metavar="N",
        help="first N articles of the summarization corpus (default 2; a float32 row takes about a "
        "minute per article on 2 cores)",
    )
    ap.add_argument(
        "--summarize-bullets", type=int, default=3, metavar="B", help="bullets per summary (default 3)"
    )
    ap.add_argument(
        "--summarizer-model",
        metavar="DIR",
        help="a chat model folder (default: a random-weight Qwen2.5-0.5B-Instruct-shaped model built once "
        "in bench/.models/ by bench/summarize_cost.py)",
    )
    ap.add_argument(
        "--summarize-corpus",
        metavar="PATH",
        help=f"JSON lines with doc_id and eng_sentences (default {SUMMARIZE_CORPUS})",
    )
    ap.add_argument("--out", default="bench/results/latest.json", help="JSON results (relative to the repo)")
    args = ap.parse_args(argv)
    if args.sentences < 1 or args.new_tokens < 1 or any(b < 1 for b in args.beams):
        ap.error("--sentences, --new-tokens and --beams must be positive")
    if args.summarize_articles < 1 or args.summarize_bullets < 1:
        ap.error("--summarize-articles and --summarize-bullets must be positive")
    args.beams = list(dict.fromkeys(args.beams))
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
    """Paragraphs as nlbrief reads them (pipeline.ingest), split by pipeline.text.segment.split_sentences."""
    from pipeline.ingest.discover import SourceFile
    from pipeline.ingest.reading import read_input
    from pipeline.ingest.sources import read_document
    from pipeline.run.contracts import DEFAULT_MAX_FILE_SIZE
    from pipeline.text.segment import split_sentences

    out: list[str] = []
    for path in sorted(p for p in folder.rglob("*") if p.suffix in {".txt", ".md"} and p.is_file()):
        src = SourceFile(path, folder, path.relative_to(folder).as_posix())
        doc = read_document(src, read_input(src, DEFAULT_MAX_FILE_SIZE))
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


def package_version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


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
        "ctranslate2": package_version("ctranslate2"),
    }


# ---------------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------------


def run_worker(script: str, spec: dict, label: str, workdir: Path, env: dict[str, str]) -> dict:
    spec_path = workdir / f"spec-{label.replace(' ', '-').replace('=', '')}.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(BENCH / script), str(spec_path)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise SystemExit(f"worker {label} failed (exit {proc.returncode})")
    row = json.loads(proc.stdout.strip().splitlines()[-1])
    row["process_s"] = round(time.perf_counter() - started, 1)
    return row


def setting(row: dict) -> str:
    """What distinguishes a row besides task, system and beams."""
    if row["task"] == "summarize":
        return "int8" if row.get("quantize") == "int8" else "fp32"
    if row["system"] == "naive":
        return "fp32, no KV cache"
    if row["system"] == "ctranslate2":
        return str(row.get("dtype", "?"))
    return "fp32, memory 2nd pass" if row.get("memory") else "fp32"


def label(row: dict) -> str:
    """A row's name in the ratios and targets: system plus what sets it apart."""
    if row["task"] == "summarize":
        return "torch-int8" if row.get("quantize") == "int8" else row["system"]
    if row["system"] == "ctranslate2":
        return f"ctranslate2-{row.get('dtype', '?')}"
    return "torch-memory" if row.get("memory") else row["system"]


def number(value: float) -> str:
    """Three significant digits without an exponent for the usual range."""
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 0.01:
        return f"{value:.3g}"
    return f"{value:.2g}"


def fmt_table(rows: list[dict]) -> str:
    head = [
        "task",
        "system",
        "setting",
        "beams",
        "items/s",
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
        translate = r["task"] == "translate"
        if not translate:
            exact = "-"
        elif r["all_rows_exactly_k"]:
            exact = "yes"
        else:
            exact = f"NO ({r['min_generated']}-{r['max_generated']})"
        lines.append(
            [
                r["task"],
                r["system"],
                setting(r),
                str(r["beams"]),
                number(r["items_per_s"]),
                number(r["tokens_per_s"]),
                f"{r['peak_rss_mb']:.0f}",
                f"{r['load_s']:.2f}",
                f"{r['seconds'] * 1000:.3g} ms" if r["seconds"] < 0.1 else f"{r['seconds']:.1f}",
                f"{r['batches']} (max {r['max_batch']})" if translate else "-",
                exact,
                f"{r['others_cpu_share']:.0%}" if r.get("others_cpu_share") is not None else "?",
            ]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = []
    for i, line in enumerate(lines):
        out.append(
            "  ".join(
                c.ljust(w) if j < 3 else c.rjust(w) for j, (c, w) in enumerate(zip(line, widths, strict=True))
            )
        )
        if i == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def speedups(rows: list[dict]) -> dict[str, float]:
    """torch/naive tokens/s per beam setting (the plain torch row, not the memory one)."""
    out = {}
    for beams in sorted({r["beams"] for r in rows}):
        by = {label(r): r for r in rows if r["task"] == "translate" and r["beams"] == beams}
        if "naive" in by and "torch" in by and by["naive"]["tokens_per_s"] > 0:
            out[f"beams={beams}"] = round(by["torch"]["tokens_per_s"] / by["naive"]["tokens_per_s"], 2)
    return out


def ratios(rows: list[dict]) -> dict[str, float]:
    """Every ratio the "Speed" issue asks for, keyed by a readable name."""
    out: dict[str, float] = {}
    translate = [r for r in rows if r["task"] == "translate" and not r.get("memory")]
    for beams in sorted({r["beams"] for r in translate}):
        by = {label(r): r for r in translate if r["beams"] == beams}
        for num, den in (("torch", "naive"), *((ct, "torch") for ct in by if ct.startswith("ctranslate2"))):
            if num in by and den in by and by[den]["tokens_per_s"] > 0:
                out[f"translate {num}/{den}, beams={beams} (tokens/s)"] = round(
                    by[num]["tokens_per_s"] / by[den]["tokens_per_s"], 2
                )
    for r in rows:
        if r.get("memory"):
            out[f"translate torch memory, second pass vs first pass, beams={r['beams']}"] = r[
                "speedup_vs_first_pass"
            ]
    summarize = {label(r): r for r in rows if r["task"] == "summarize"}
    for num in ("torch", "torch-int8"):
        if num in summarize and "naive" in summarize and summarize["naive"]["articles_per_min"] > 0:
            out[f"summarize {num}/naive (articles/min)"] = round(
                summarize[num]["articles_per_min"] / summarize["naive"]["articles_per_min"], 2
            )
    return out


def targets(rows: list[dict]) -> list[dict]:
    """The issue's targets next to what this run measured, each PASS or MISS."""
    out = []
    for r in rows:
        if r.get("memory"):
            value = r["speedup_vs_first_pass"]
            out.append(
                {
                    "what": f"translate torch memory second pass vs first pass, beams={r['beams']}",
                    "measured": value,
                    "target": f">= {MEMORY_SPEEDUP_TARGET:g}x",
                    "shown": f"{value:,.0f}x" if value >= 100 else f"{value:.1f}x",
                    "pass": value >= MEMORY_SPEEDUP_TARGET,
                }
            )
    for r in rows:
        if r["task"] != "translate":
            continue
        name = label(r)
        limit_gb = RSS_TARGETS_GB.get("torch" if name == "torch-memory" else name)
        what = f"peak RSS translate {name}, beams={r['beams']}"
        shown = f"{r['peak_rss_mb']:.0f} MB ({r['peak_rss_mb'] / GB:.2f} GB)"
        if limit_gb is None:
            out.append({"what": what, "measured": r["peak_rss_mb"], "target": None, "shown": shown})
        else:
            out.append(
                {
                    "what": what,
                    "measured": r["peak_rss_mb"],
                    "target": f"<= {limit_gb} GB ({limit_gb * GB:.0f} MB)",
                    "shown": shown,
                    "pass": r["peak_rss_mb"] <= limit_gb * GB,
                }
            )
    return out


def translate_setup(args: argparse.Namespace) -> dict:
    """The translation model (built if needed) and its descriptions."""
    if args.translator_model:
        return {
            "model_spec": args.translator_model,
            "model_desc": f"{args.translator_model} (its own weights and tokenizer)",
            "tokenizer_desc": "the model's own tokenizer",
            "built": {},
        }
    import random_model  # bench/random_model.py (bench/ is sys.path[0] when run as a script)

    folder = random_model.build(random_model.DEFAULT_DIR)
    built = random_model.build_info(folder)
    return {
        "model_spec": str(folder),
        "model_desc": (
            "random-weight MarianMT with the architecture of Helsinki-NLP/opus-mt-nl-en (d_model 512, 6+6 "
            "layers, 8 heads, ffn 2048, vocab 67028, pad = decoder_start = 67027, eos 0, 512 static "
            f"sinusoidal positions, tied embeddings, swish), {built['parameters']:,} parameters, "
            f"built once by bench/random_model.py into {folder.relative_to(REPO)}"
        ),
        "tokenizer_desc": (
            "the tiny test translator's sentencepiece models (tests/helpers/tiny_models.py, "
            f"{built['tokenizer_pieces']} pieces); their ids are used unchanged (all < 67027) and "
            "vocab.json is padded with placeholder pieces to 67028 entries, <pad> = 67027. Input lengths "
            "therefore come from a small sentencepiece vocabulary and are longer than the real opus-mt "
            "tokenizer would give"
        ),
        "built": built,
    }


def summarize_setup(args: argparse.Namespace) -> dict | None:
    """The summarization model (built if needed) and corpus, or None when the default corpus is absent."""
    if args.summarize_corpus:
        corpus = Path(args.summarize_corpus).expanduser()
        corpus = corpus if corpus.is_absolute() or corpus.exists() else REPO / args.summarize_corpus
        if not corpus.is_file():
            raise SystemExit(f"--summarize-corpus {args.summarize_corpus}: no such file")
        corpus_desc = f"{args.summarize_corpus} (eng_sentences, first {args.summarize_articles} documents)"
    else:
        corpus = (REPO / SUMMARIZE_CORPUS).resolve()
        if not corpus.is_file():
            print(f"note: {SUMMARIZE_CORPUS} is absent; no summarization rows")
            return None
        corpus_desc = f"{SUMMARIZE_CORPUS} (eng_sentences, first {args.summarize_articles} documents)"
    if args.summarizer_model:
        model = args.summarizer_model
        model_desc = f"{model} (its own weights and tokenizer)"
    else:
        import summarize_cost  # bench/summarize_cost.py

        model = str(summarize_cost.build_model().relative_to(REPO))
        model_desc = (
            "random-weight causal LM with the architecture of Qwen/Qwen2.5-0.5B-Instruct (hidden 896, 24 "
            "layers, 14 heads, 2 key-value heads, intermediate 4864, vocab 151936, tied embeddings), about "
            f"494 M parameters, built once by bench/summarize_cost.py into {model}, with the tiny test chat "
            "tokenizer (about twice as many tokens per English word as Qwen's own)"
        )
    return {"model": model, "model_desc": model_desc, "corpus": str(corpus), "corpus_desc": corpus_desc}


def report_row(row: dict) -> None:
    extra = ""
    if row.get("memory"):
        extra = f", first pass {row['first_pass_s']:.2f} s, {row['speedup_vs_first_pass']:,.0f}x"
    elif row["task"] == "summarize":
        extra = f", {row['articles_per_min']:.2f} articles/min"
    print(
        f"  {row['tokens_per_s']:.1f} tok/s, {row['items_per_s']:.3g} items/s{extra}, "
        f"peak RSS {row['peak_rss_mb']:.0f} MB, load {row['load_s']:.2f} s, "
        f"other processes {row.get('others_cpu_share') or 0:.0%} of the CPUs",
        flush=True,
    )


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
    do_translate = "translate" in args.tasks and any(s in TRANSLATE_SYSTEMS for s in args.systems)
    do_summarize = "summarize" in args.tasks and any(s in SUMMARIZE_SYSTEMS for s in args.systems)
    do_process = "process" in args.tasks
    if not (do_translate or do_summarize or do_process):
        raise SystemExit("--tasks and --systems leave no row to run")
    if "ctranslate2" in args.systems and do_translate and machine["ctranslate2"] is None:
        raise SystemExit("the ctranslate2 rows need ctranslate2: pip install 'nlbrief[fast]'")

    print(
        f"machine:   {machine['cpu_model']}, {machine['cores']} cores, torch {machine['torch']}, "
        f"transformers {machine['transformers']}, ctranslate2 {machine['ctranslate2']}, {threads} threads, "
        f"load average {loadavg_start[0]:.2f}"
    )
    tr: dict = {}
    sentences: list[str] = []
    if do_translate:
        sentences, corpus_desc = load_corpus(args.corpus, args.sentences)
        if not sentences:
            raise SystemExit("the corpus gave no sentences")
        if len(sentences) < args.sentences:
            print(f"note: the corpus has only {len(sentences)} sentences")
        tr = translate_setup(args)
        tr["corpus_desc"] = corpus_desc
        tr["length_rule"] = (
            f"every sentence generates exactly {args.new_tokens} new tokens: transformers rows with "
            f"min_new_tokens = max_new_tokens = {args.new_tokens} (the last one is the forced </s>), "
            f"ctranslate2 rows with min_decoding_length = max_decoding_length = {args.new_tokens} (no </s> "
            "is forced at the limit); new tokens are counted the same way for all: every generated id "
            "after the decoder start, up to padding"
        )
        print(f"translate: {tr['model_desc']}")
        print(f"           tokenizer: {tr['tokenizer_desc']}")
        print(f"           corpus: {corpus_desc}: {len(sentences)} sentences")
        print(f"           length: {tr['length_rule']}")
    sm = summarize_setup(args) if do_summarize else None
    do_summarize = sm is not None
    if sm:
        print(f"summarize: {sm['model_desc']}")
        print(
            f"           corpus: {sm['corpus_desc']}; {args.summarize_bullets} bullets, every answer "
            "forced to its full bound (60 tokens per bullet, headline 32)"
        )

    rows: list[dict] = []
    conversion: dict | None = None
    with tempfile.TemporaryDirectory(prefix="nlbrief-bench-") as tmp:
        workdir = Path(tmp)
        # Caches of the rows (CTranslate2 conversions, translation memory) stay in this temporary folder.
        env = dict(
            os.environ,
            HF_HUB_OFFLINE="1",
            TRANSFORMERS_OFFLINE="1",
            TOKENIZERS_PARALLELISM="false",
            NLBRIEF_CACHE_DIR=str(workdir / "nlbrief-cache"),
        )
        if do_translate:
            sentences_file = workdir / "sentences.json"
            sentences_file.write_text(json.dumps(sentences, ensure_ascii=False), encoding="utf-8")
            base = {
                "model": tr["model_spec"],
                "sentences_file": str(sentences_file),
                "new_tokens": args.new_tokens,
                "threads": threads,
                "compute_type": args.compute_type,
            }
            plan = [
                (system, beams)
                for beams in args.beams
                for system in ("naive", "torch", "ctranslate2")
                if system in args.systems
            ]
            if "torch-memory" in args.systems:
                plan.append(("torch-memory", max(args.beams)))
            for system, beams in plan:
                if system == "ctranslate2" and conversion is None:
                    print(f"converting the model to CTranslate2 ({args.compute_type}) ...", flush=True)
                    spec = {**base, "system": "ctranslate2", "beams": beams, "action": "convert"}
                    conversion = run_worker("worker.py", spec, "ct2-convert", workdir, env)
                    rss = conversion["convert_peak_rss_mb"]
                    print(f"  {conversion['convert_s']:.1f} s, peak RSS {rss:.0f} MB", flush=True)
                spec = {**base, "system": "torch" if system == "torch-memory" else system, "beams": beams}
                if system == "torch-memory":
                    spec.update(memory="second pass", memory_db=str(workdir / "memory" / "tm.sqlite3"))
                print(
                    f"running translate {system} beams={beams} on {len(sentences)} sentences ...", flush=True
                )
                row = run_worker("worker.py", spec, f"translate-{system}-{beams}", workdir, env)
                if system == "ctranslate2":
                    row["convert_s"] = conversion["convert_s"]
                    row["convert_peak_rss_mb"] = conversion["convert_peak_rss_mb"]
                    row["convert_note"] = "one conversion (a separate process) serves every ctranslate2 row"
                rows.append(row)
                report_row(row)
        if do_summarize:
            for system in SUMMARIZE_SYSTEMS:
                if system not in args.systems:
                    continue
                spec = {
                    "system": "torch" if system == "torch-int8" else system,
                    "quantize": "int8" if system == "torch-int8" else "none",
                    "model": sm["model"],
                    "corpus": sm["corpus"],
                    "articles": args.summarize_articles,
                    "bullets": args.summarize_bullets,
                    "threads": threads,
                }
                print(f"running summarize {system} on {args.summarize_articles} article(s) ...", flush=True)
                row = run_worker("summarize_worker.py", spec, f"summarize-{system}", workdir, env)
                rows.append(row)
                report_row(row)
        if do_process:
            import checks_cost  # bench/checks_cost.py

            translator, summarizer = checks_cost.models(args.translator_model, args.summarizer_model)
            print(f"running nlbrief process on {args.process_articles} article(s) (the checks' cost) ...")
            process = checks_cost.process_row(
                translator, summarizer, args.process_articles, threads, workdir / "process"
            )
            print(f"  {checks_cost.report(process)}", flush=True)

    found_ratios = ratios(rows)
    found_targets = targets(rows)
    if do_process:
        found_targets.append(
            {
                "what": "checks + second tries, share of the rest of nlbrief process",
                "measured": process["checks_overhead"],
                "target": f"<= {checks_cost.OVERHEAD_TARGET:.0%}",
                "shown": f"{process['checks_overhead']:.1%}",
                "pass": process["checks_overhead"] <= checks_cost.OVERHEAD_TARGET,
            }
        )
    total_s = time.perf_counter() - started
    print()
    print(fmt_table(rows) if rows else "(no translate or summarize rows)")
    print("items: sentences (translate), articles (summarize); tok/s: generated tokens per second")
    print()
    if found_ratios:
        print("ratios:")
        width = max(len(k) for k in found_ratios)
        for key, value in found_ratios.items():
            print(
                f"  {key.ljust(width)}  {value:,.2f}x"
                if value < 100
                else f"  {key.ljust(width)}  {value:,.0f}x"
            )
    if found_targets:
        print("targets:")
        width = max(len(t["what"]) for t in found_targets)
        shown = max(len(t["shown"]) for t in found_targets)
        for t in found_targets:
            verdict = (
                "no target"
                if t["target"] is None
                else f"target {t['target']}  {'PASS' if t['pass'] else 'MISS'}"
            )
            print(f"  {t['what'].ljust(width)}  {t['shown'].rjust(shown)}  {verdict}")
    if do_translate:
        ref = next((r for r in rows if r["task"] == "translate" and r["system"] != "naive"), None)
        ref = ref or next(r for r in rows if r["task"] == "translate")
        mean_in = ref["input_tokens"] / ref["sentences"]
        print(
            f"translate: mean input length {mean_in:.1f} tokens/sentence; {args.new_tokens} new "
            f"tokens/sentence; {threads} threads"
        )
        if conversion:
            print(
                f"ctranslate2: conversion {conversion['convert_s']:.1f} s once (convert_s, not in load_s), "
                f"converted model {conversion['ct2_model_mb']:.0f} MB"
            )
        truncated = max((r.get("sentences_truncated", 0) for r in rows), default=0)
        split = max((r.get("sentences_split", 0) for r in rows), default=0)
        if truncated or split:
            print(
                f"note: {truncated} sentences exceeded the model's input limit: naive truncated them, "
                f"nlbrief split {split} into parts (each part generates {args.new_tokens} tokens)"
            )
    print(f"total {total_s:.0f} s")
    busy = [r for r in rows if (r.get("others_cpu_share") or 0) > BUSY_SHARE]
    if busy:
        rows_text = ", ".join(
            f"{r['task']} {label(r)} beams={r['beams']} {r['others_cpu_share']:.0%}" for r in busy
        )
        print(
            f"warning: other processes took CPU time during the timed loops ({rows_text} of the CPUs); "
            "those numbers are low and noisy: rerun on a quiet machine"
        )

    settings: dict = {
        "tasks": [
            task for task, on in zip(TASKS, (do_translate, do_summarize, do_process), strict=True) if on
        ],
        "systems": args.systems,
        "threads": threads,
    }
    if do_translate:
        settings["translate"] = {
            "model": tr["model_spec"]
            if args.translator_model
            else str(Path(tr["model_spec"]).relative_to(REPO)),
            "model_description": tr["model_desc"],
            "random_weights": not args.translator_model,
            "parameters": next((r["parameters"] for r in rows if r.get("parameters")), None),
            "tokenizer": tr["tokenizer_desc"],
            "corpus": tr["corpus_desc"],
            "sentences": len(sentences),
            "mean_input_tokens": round(mean_in, 1),
            "beams": args.beams,
            "new_tokens": args.new_tokens,
            "output_length_rule": tr["length_rule"],
            "compute_type": args.compute_type,
            "conversion": conversion,
            "warmup": "one untimed generate() of a short fixed Dutch sentence (2 new tokens) per process",
            "systems": {
                "naive": "MarianMTModel.from_pretrained + generate() per sentence, float32, use_cache=False, "
                "decoding settings pipeline.translate.backends.contract.generation_kwargs(beams, K) "
                "+ min_new_tokens=K",
                "torch": "pipeline.models.locate.locate_model + "
                "pipeline.translate.backends.registry.create_backend('torch') + "
                "pipeline.translate.translator.Translator.translate_sentences (default TranslateSettings, "
                "batch_tokens 2048, length-sorted batches under inference_mode); a pass-through wrapper "
                "replaces the Translator's per-batch max_new_tokens bound by K and "
                "generation_config.min_new_tokens = K",
                "ctranslate2": "the same Translator over "
                "pipeline.translate.backends.registry.create_backend('ctranslate2', "
                f"BackendOptions(compute_type={args.compute_type!r}, device='cpu', threads=T)) on a model "
                "converted beforehand in a separate process into a temporary $NLBRIEF_CACHE_DIR (convert_s); "
                "load_s is the load of the converted model. The backend's per-batch bound is replaced by K "
                "as for torch, and a pass-through around its ctranslate2.Translator sets "
                "min_decoding_length = max_decoding_length (the backend has no minimum-length option)",
                "torch-memory": "the torch row's Translator with "
                "memory=pipeline.translate.memory.MemoryAdapter("
                "TranslationMemory(fresh SQLite file in a temporary folder)), at the largest beam setting; "
                "first pass (fills the memory) timed as first_pass_s, then the same corpus again "
                "(all from the memory), the median of 5 second passes as seconds; "
                "speedup_vs_first_pass = first_pass_s / seconds; its tokens_per_s counts the tokens the "
                "first pass generated",
            },
        }
    if do_summarize:
        settings["summarize"] = {
            "model": sm["model"],
            "model_description": sm["model_desc"],
            "random_weights": not args.summarizer_model,
            "corpus": sm["corpus_desc"],
            "articles": args.summarize_articles,
            "bullets": args.summarize_bullets,
            "output_length_rule": "every answer runs to its bound (min_new_tokens = max_new_tokens): "
            "bullets 60 tokens per bullet, headline 32",
            "systems": {
                "naive": "AutoModelForCausalLM float32, per article one generate() for the bullets and one "
                "for the headline, each prompt holding the article, batch 1, greedy",
                "torch": "pipeline.summarize.summarizer.Summarizer over "
                "pipeline.summarize.generators.ChatGenerator, float32: "
                "articles batched with left padding, the headline from the title and the bullets",
                "torch-int8": "the same with GeneratorOptions(quantize='int8') (dynamic int8 Linear layers)",
            },
        }

    result = {
        "command": command,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine,
        "settings": settings,
        "loadavg_start": loadavg_start[0],
        "loadavg_end": os.getloadavg()[0],
        "total_s": round(total_s, 1),
        "speedup_torch_over_naive": speedups(rows),
        "ratios": found_ratios,
        "targets": found_targets,
        "rows": rows,
        "process": process if do_process else None,
    }
    out = Path(args.out)
    out = out if out.is_absolute() else REPO / out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(REPO) if out.is_relative_to(REPO) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
