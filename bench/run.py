"""`make bench`: nlbrief's speed on a day's news, against raw model calls and against today's nlbrief.

    python bench/run.py [--data ../shared/data] [--sentences 500] [--articles 8] [--brief-articles 20]
                        [--threads T] [--full] [--only translate summarize brief] [--out PATH]

Translation rows (bench/translate_worker.py), summarization rows (bench/summarize_worker.py) and
end-to-end `nlbrief brief` rows (bench/end_to_end.py), each in a process of its own; then the table,
the issue's targets (PASS/MISS), bench/results/latest.json, and the README's section (bench/report.py).
What is measured and how: bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO))

import baseline  # noqa: E402
import end_to_end  # noqa: E402
import machine  # noqa: E402
import report  # noqa: E402
import rows as plan  # noqa: E402
import workload  # noqa: E402


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data", help="the shared data")
    ap.add_argument("--sentences", type=int, default=500, help="translation sentences (default 500)")
    ap.add_argument("--articles", type=int, default=8, help="summarization articles (default 8)")
    ap.add_argument("--brief-articles", type=int, default=20, help="articles of the brief rows (default 20)")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="threads of every row")
    ap.add_argument("--full", action="store_true", help="every dtype at every beam setting (longer)")
    ap.add_argument("--only", nargs="+", choices=("translate", "summarize", "brief"),
                    default=["translate", "summarize", "brief"])  # fmt: skip
    ap.add_argument("--no-readme", action="store_true", help="leave README.md as it is")
    ap.add_argument("--out", type=Path, default=BENCH / "results" / "latest.json")
    return ap.parse_args(argv)


def say(text: str) -> None:
    print(text, flush=True)


def show(row: dict, m: dict | None = None) -> None:
    if m is not None and row.get("dtype") == "bfloat16" and not m["native_bf16"]:
        row["emulated_bf16"] = True  # torch emulates bfloat16 on this CPU: slow, and said so
    say("  " + report.table([row])[-1].strip())


def translation_rows(args, models, work: Path, env, m: dict) -> tuple[list[dict], dict]:
    load = workload.translation(args.data, args.sentences, Path(models[0]), workload_docs())
    sentences = work / "sentences.json"
    sentences.write_text(json.dumps(load["sentences"], ensure_ascii=False), encoding="utf-8")
    base = {"model": models[0], "sentences_file": str(sentences), "threads": args.threads,
            "ratio": load["ratio"], "compute_type": "int8"}  # fmt: skip
    say(f"translate: {len(load['sentences'])} sentences of {load['documents']} NTREX-128 documents, "
        f"{load['tokens_per_word']} tokens/word, {load['new_tokens']} reference tokens")  # fmt: skip
    first = plan.run_worker("translate_worker.py", {**base, "system": "nlbrief-torch", "beams": 1}, work, env)
    first["default"] = True
    show(first, m)
    found = [first]
    default = first.get("dtype") or "float32"
    note = plan.skipped_bf16(m["native_bf16"], default, args.full)
    converted = False
    for system, dtype, beams in plan.translation_plan(default, m["native_bf16"], args.full):
        if system == "ct2-pair" and not converted:
            say("  converting to CTranslate2 int8 (nlbrief's own conversion, once) ...")
            conversion = plan.run_worker("translate_worker.py", {**base, "system": "convert", "beams": 1},
                                         work, env)  # fmt: skip
            converted = True
        spec = {**base, "system": system, "dtype": dtype, "beams": beams}
        got = plan.run_worker("translate_worker.py", spec, work, env)
        for row in got if isinstance(got, list) else [got]:
            row["default"] = system == "nlbrief-torch" and dtype is None
            show(row, m)
            found.append(row)
    info = {k: v for k, v in load.items() if k != "sentences"}
    info.update(count=len(load["sentences"]), default_dtype=default, bf16_note=note)
    info["conversion"] = conversion if converted else None
    if note:
        say("  " + note)
    return found, info


def workload_docs() -> int:
    import tokenizer

    return tokenizer.HELD_OUT_DOCS


def summarization_rows(args, models, work: Path, env, m: dict, code_today: Path) -> tuple[list[dict], dict]:
    load = workload.summarization(args.data, args.articles, Path(models[1]), 3, workload_docs())
    articles = work / "articles.json"
    articles.write_text(json.dumps(load["articles"], ensure_ascii=False), encoding="utf-8")
    say(f"summarize: {args.articles} English NTREX-128 articles, prompts of {min(load['prompt_tokens'])} to "
        f"{max(load['prompt_tokens'])} tokens")  # fmt: skip
    base = {"model": models[1], "articles_file": str(articles), "threads": args.threads}
    found = []
    # Today's code over these 8 articles takes about 100 s: with --full only. The run's summarization
    # ratio is the brief rows' summarize stage (20 articles, today's code against this checkout's).
    first = (("today", code_today, {}),) if args.full else ()
    for label, code, overrides in (*first, ("defaults", REPO, {})):
        row = plan.run_worker("summarize_worker.py", {**base, "label": label, "code": str(code),
                                                      "overrides": overrides}, work, env)  # fmt: skip
        show(row, m)
        found.append(row)
    alternatives, notes = plan.summarize_plan(found[-1], m["native_bf16"], args.full)
    for note in notes:
        say("  " + note)
    for label, overrides in alternatives:
        row = plan.run_worker("summarize_worker.py", {**base, "label": label, "code": str(REPO),
                                                      "overrides": overrides}, work, env)  # fmt: skip
        show(row, m)
        found.append(row)
    info = {"prompt_tokens": load["prompt_tokens"], "ids": [a["id"] for a in load["articles"]]}
    info["notes"] = notes
    return found, info


def brief_rows(args, models, work: Path, ratio: float, code_today: Path) -> tuple[list[dict], dict]:
    docs = [d["doc_id"] for d in workload.read_docs(args.data)[: args.brief_articles]]
    folder = work / "brief-articles"
    workload.write_articles(args.data, docs, folder)
    references = workload.references(args.data, docs)
    (work / "brief-articles-references.json").write_text(json.dumps(references, ensure_ascii=False), "utf-8")
    say(f"brief: {len(docs)} Dutch NTREX-128 articles, one day")
    found = []
    for label, code in (("today", code_today), ("defaults", REPO)):
        row = end_to_end.run(label, code, folder, workload.DAY, models, args.threads, ratio, work)
        show(row)
        for line in report.stage_lines([row]):
            say("  " + line)
        found.append(row)
    return found, {"articles": len(docs), "documents": docs}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    if not args.data.is_dir():
        raise SystemExit(f"{args.data}: no shared data (FLORES-200, NTREX-128); pass --data DIR")
    m = machine.info()
    say(f"machine: {machine.describe(m)}; {args.threads} threads, load average {os.getloadavg()[0]:.2f}")
    import random_model
    import summarize_cost

    models = (str(random_model.build(random_model.DEFAULT_DIR)), str(summarize_cost.build_model()))
    built = random_model.build_info(Path(models[0]))
    say(
        f"tokenizer: {built['tokenizer']['kind']}; held-out tokens/word: Dutch "
        f"{built['tokenizer']['tokens_per_word_nl']}, English {built['tokenizer']['tokens_per_word_en']}"
    )
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    result: dict = {"created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "machine": m,
                    "command": " ".join(["python", "bench/run.py", *(argv or sys.argv[1:])]),
                    "baseline": baseline.describe(), "settings": {"translate": {}}, "rows": [],
                    "timings_s": {}}  # fmt: skip
    result["settings"]["tokenizer"] = {**built["tokenizer"], "vocab_pieces": built["vocab_pieces"],
                                       "summarizer_tokens_per_word_en": summarize_cost.tokens_per_word(
                                           Path(models[1]))}  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="nlbrief-bench-") as tmp:
        work = Path(tmp)
        env["NLBRIEF_CACHE_DIR"] = str(work / "nlbrief-cache")
        today = baseline.extract(work / "today")
        ratio = 1.0
        for part in args.only:
            began = time.perf_counter()
            if part == "translate":
                found, info = translation_rows(args, models, work, env, m)
                ratio = info["ratio"]
            elif part == "summarize":
                found, info = summarization_rows(args, models, work, env, m, today)
            else:
                if "translate" not in args.only:
                    ratio = workload.translation(args.data, args.sentences, Path(models[0]),
                                                 workload_docs())["ratio"]  # fmt: skip
                found, info = brief_rows(args, models, work, ratio, today)
            result["rows"] += found
            result["settings"][part] = info
            result["timings_s"][part] = round(time.perf_counter() - began, 1)
    result["total_s"] = round(time.perf_counter() - started, 1)
    result["targets"] = report.targets(result)
    say("")
    for line in report.summary(result):
        say(line)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    say(f"wrote {args.out}")
    if not args.no_readme:
        report.update_readme(result)
        say("README.md: the section between the bench markers regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
