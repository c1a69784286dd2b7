"""The end-to-end rows: `nlbrief brief` over a day's articles, today's revision against this checkout.

Both run the whole command at their own defaults (today's: bench/baseline.py) through
bench/forced_cli.py (realistic output lengths on random weights, stage clocks, peak RSS), each with a
fresh translation memory and output folder, on the same article files.

Stages, in seconds of the command's wall time:
- startup: imports until the command starts;
- load: both models' loads (the records' translator_load_s and summarizer_load_s);
- translate: Translator.translate_plans (translate_documents in older code), less the translator's
  load (it loads on first use): the sentences, their checks and second tries;
- summarize: Summarizer.summarize (bullets, headline, map-reduce when needed);
- read, write, other: the rest of the process part (`--json` elapsed_s): reading and parsing the files,
  the summaries' checks, writing the records and pages;
- brief: after the articles are done: stories, the day's overview (a summarizer call), the pages.
The checks' share (sentence and summary checks plus second tries, from the records' check_s and
retry_s, against the rest of the command) is the issue's earlier target of at most 5%.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
CHECKS_SHARE_TARGET = 0.05


def run(label: str, code: Path, articles: Path, day: str, models: tuple[str, str], threads: int,
        ratio: float, work: Path) -> dict:  # fmt: skip
    """``articles`` holds the input files and references.json ({Dutch sentence: English reference})."""
    references = articles.parent / f"{articles.name}-references.json"
    out, stats = work / f"out-{label}", work / f"stats-{label}.json"
    translator, summarizer = models
    command = [
        sys.executable, str(BENCH / "forced_cli.py"), "brief", str(articles), "--date", day, "-o", str(out),
        "--translator-model", translator, "--summarizer-model", summarizer, "--threads", str(threads),
        "--cache-dir", str(work / f"cache-{label}"), "--json",
    ]  # fmt: skip
    env = dict(os.environ, NLBRIEF_BENCH_CODE=str(code), NLBRIEF_BENCH_RATIO=str(ratio),
               NLBRIEF_BENCH_STATS=str(stats), NLBRIEF_CACHE_DIR=str(work / f"nlbrief-cache-{label}"),
               NLBRIEF_BENCH_REFERENCES=str(references), NLBRIEF_BENCH_TRANSLATOR=translator,
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")  # fmt: skip
    sys.path.insert(0, str(BENCH))
    from measure import Stopwatch

    with Stopwatch(resource.RUSAGE_CHILDREN) as watch:  # the command's CPU is the row's, not "others"
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if done.returncode not in (0, 1) or not stats.is_file():
        return {"task": "brief", "system": label, "skipped": f"nlbrief brief exited {done.returncode}: "
                + (done.stderr.strip().splitlines() or ["no message"])[-1][:300]}  # fmt: skip
    row = {"task": "brief", "system": label, "exit": done.returncode}
    watch.record(row)
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((out / "articles").glob("*.json"))]
    row.update(stages(json.loads(stats.read_text()), summary, records))
    row["articles"] = len(records)
    row["articles_per_min"] = round(60 * len(records) / row["seconds"], 2)
    row["summarize_articles_per_min"] = round(60 * len(records) / max(row["stages_s"]["summarize"], 1e-9), 2)
    row["briefing"] = (summary.get("briefing") or {}).get("status")
    return row


def stages(stats: dict, summary: dict, records: list[dict]) -> dict:
    timings = [r.get("timings", {}) for r in records]
    first = timings[0] if timings else {}
    t_load, s_load = first.get("translator_load_s", 0.0), first.get("summarizer_load_s", 0.0)
    elapsed = float(summary["elapsed_s"])
    translate = stats["translate_s"] - t_load
    checks = sum(t.get("check_s", 0.0) + t.get("retry_s", 0.0) for t in timings)
    brief = stats["total_s"] - stats["startup_s"] - elapsed
    parts = {
        "startup": stats["startup_s"],
        "load": t_load + s_load,
        "translate": translate,
        "summarize": stats["summarize_s"],
        "read_write_other": elapsed - stats["translate_s"] - stats["summarize_s"] - s_load,
        "brief": brief,
    }
    return {
        "stages_s": {k: round(v, 1) for k, v in parts.items()},
        "peak_rss_mb": stats["peak_rss_mb"],
        "pipeline": stats["pipeline"],
        "sentences": sum(len(p["sentences"]) for r in records for p in r["translation"]["paragraphs"]),
        "checks_s": round(checks, 2),
        "checks_share": round(checks / max(stats["total_s"] - checks, 1e-9), 4),
        "generate_calls": {
            "translation": stats["translation_calls"],
            "summarizer": stats["summarizer_calls"],
        },
        "references_used": f"{stats.get('references_used', 0)} of {stats.get('translated_rows', 0)}",
        "translation_settings": records[0].get("settings") if records else None,
        "summarizer_settings": records[0].get("summarizer_settings") if records else None,
    }
