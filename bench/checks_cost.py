"""What the faithfulness checks cost `nlbrief process`: the share of its time spent checking and trying
flagged sentences again, measured on the real command.

    python bench/checks_cost.py [--articles 2] [--translator-model DIR] [--summarizer-model DIR]
                                [--threads T] [--out bench/results/checks.json]

Runs the installed `nlbrief process` at its defaults (4 beams, 3 bullets, float32, the translation memory
in a fresh temporary folder) over the first N Dutch articles of examples/nieuws, with the bench's
random-weight models of the real shapes (opus-mt-nl-en, bench/random_model.py; Qwen2.5-0.5B-Instruct,
bench/summarize_cost.py) unless others are given. Every record says how long its checks took
(``timings.check_s``: the checks of its sentences, bullets and headline) and its share of the second
tries at flagged sentences (``timings.retry_s``); the run's ``--json`` summary says how long the whole
command took. The overhead is checks + second tries against the rest of the command.

Random weights never stop on their own and write no faithful sentence, so every sentence is flagged
(a real model's few are), nearly always with more warnings than a second try is made for (see
pipeline/translate/retry.py): the second tries here are fewer than a real model's, and the checks
themselves cost the same on any text of the same length. The share of the translation time a second
try costs is reported too, per sentence tried. Also `make bench` runs this (bench/run.py --tasks process).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
EXAMPLES = REPO / "examples" / "nieuws"
# Dutch articles of examples/nieuws, short to long: enough text for a few waves of batches.
ARTICLES = (
    "2025-10-06-fietsenstalling-utrecht.txt",
    "2025-10-06-storm-noordzee.md",
    "2025-10-08-seinstoring-amersfoort.txt",
    "2025-10-07-scooterrijder-gewond-tilburg.txt",
    "2025-10-08-begroting-maaswijk.txt",
)
OVERHEAD_TARGET = 0.05  # the issue: the checks add at most 5% to the time of `nlbrief process`


def models(translator: str | None, summarizer: str | None) -> tuple[str, str]:
    """The model folders: those given, else the bench's random-weight ones (built once)."""
    sys.path.insert(0, str(BENCH))
    if translator is None:
        import random_model

        translator = str(random_model.build(random_model.DEFAULT_DIR))
    if summarizer is None:
        import summarize_cost

        summarizer = str(summarize_cost.build_model())
    return translator, summarizer


def process_row(translator: str, summarizer: str, articles: int, threads: int, workdir: Path) -> dict:
    """One `nlbrief process` run; the row with the time of the checks and second tries and their share."""
    folder = workdir / "nieuws"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ARTICLES[:articles]:
        shutil.copy2(EXAMPLES / name, folder / name)
    nlbrief = Path(sys.executable).with_name("nlbrief")
    command = [
        str(nlbrief), "process", str(folder), "-o", str(workdir / "out"), "--json", "--threads", str(threads),
        "--translator-model", translator, "--summarizer-model", summarizer,
        "--cache-dir", str(workdir / "cache"),
    ]  # fmt: skip
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", NLBRIEF_CACHE_DIR=str(workdir / "c"))
    begin = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    wall_s = time.perf_counter() - begin
    if done.returncode != 0:
        raise SystemExit(f"nlbrief process failed ({done.returncode}):\n{done.stderr[-2000:]}")
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((workdir / "out").glob("*.json"))]
    timings = [r["timings"] for r in records]
    check_s = sum(t.get("check_s", 0.0) for t in timings)
    retry_s = sum(t.get("retry_s", 0.0) for t in timings)
    translate_s = max((t.get("translate_s", 0.0) for t in timings), default=0.0)  # per wave, shared
    sentences = [s for r in records for p in r["translation"]["paragraphs"] for s in p["sentences"]]
    retried = sum(1 for s in sentences if s["retry"])
    elapsed = float(summary["elapsed_s"])
    return {
        "task": "process",
        "system": "nlbrief process",
        "articles": len(records),
        "sentences": len(sentences),
        "sentences_flagged": sum(1 for s in sentences if s["flagged"]),
        "sentences_retried": retried,
        "elapsed_s": round(elapsed, 2),
        "wall_s": round(wall_s, 2),
        "translate_s": round(translate_s, 2),
        "check_s": round(check_s, 3),
        "retry_s": round(retry_s, 3),
        "checks_overhead": round((check_s + retry_s) / max(elapsed - check_s - retry_s, 1e-9), 4),
        "checks_only_overhead": round(check_s / max(elapsed - check_s - retry_s, 1e-9), 4),
        "checks_share_of_translation": round((check_s + retry_s) / max(translate_s, 1e-9), 4),
        # what a second try costs against a first, per sentence: with it, the overhead of a model whose
        # share of sentences tried again differs from these random weights' can be worked out
        "retry_cost_per_sentence_vs_first": (
            round((retry_s / retried) / (translate_s / len(sentences)), 3) if retried and sentences else None
        ),
        "findings": (summary.get("checks") or {}).get("findings"),
    }


def report(row: dict) -> str:
    verdict = "PASS" if row["checks_overhead"] <= OVERHEAD_TARGET else "MISS"
    return (
        f"process: {row['articles']} articles, {row['sentences']} sentences ({row['sentences_flagged']} "
        f"flagged, {row['sentences_retried']} tried again) in {row['elapsed_s']:.1f} s; checks "
        f"{row['check_s']:.2f} s + second tries {row['retry_s']:.2f} s = {row['checks_overhead']:.1%} of the "
        f"rest (checks alone {row['checks_only_overhead']:.2%}); target <= {OVERHEAD_TARGET:.0%}  {verdict}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=2, help=f"1 to {len(ARTICLES)} (default 2)")
    ap.add_argument("--translator-model", metavar="DIR")
    ap.add_argument("--summarizer-model", metavar="DIR")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--out", type=Path, default=BENCH / "results" / "checks.json")
    args = ap.parse_args(argv)
    translator, summarizer = models(args.translator_model, args.summarizer_model)
    with tempfile.TemporaryDirectory(prefix="nlbrief-checks-") as tmp:
        row = process_row(translator, summarizer, args.articles, args.threads, Path(tmp))
    print(report(row))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(row, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
