"""The results as people read them: the table, the targets (PASS or MISS), and the README's section.

    python bench/report.py [bench/results/latest.json]   rewrites README.md's section from the JSON

Every figure comes from one run's JSON (bench/run.py writes it); the README's performance section
between the two marker comments is regenerated from it, never edited by hand.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- bench:begin (bench/report.py writes this part) -->", "<!-- bench:end -->"
BUSY_SHARE = 0.05
MB_PER_GB = 1024


def find(rows: list[dict], **match) -> dict | None:
    return next((r for r in rows if all(r.get(k) == v for k, v in match.items())), None)


def ratio(what: str, num: dict | None, den: dict | None, key: str, target: float) -> dict:
    if not num or not den or num.get("skipped") or den.get("skipped"):
        missing = next((r for r in (num, den) if not r or r.get("skipped")), None)
        why = (missing or {}).get("skipped", "the row did not run")
        return {"what": what, "measured": None, "target": f">= {target:g}x", "shown": "-", "pass": None,
                "why": why}  # fmt: skip
    value = round(num[key] / den[key], 2)
    return {"what": what, "measured": value, "target": f">= {target:g}x", "shown": f"{value:.2f}x",
            "pass": value >= target}  # fmt: skip


def targets(result: dict) -> list[dict]:
    rows = result["rows"]
    out = []
    default = result["settings"]["translate"].get("default_dtype")
    for beams in (1, 4):
        out.append(ratio(
            f"translate: nlbrief torch ({default}) / raw generate(), beams {beams}",
            find(rows, task="translate", system="nlbrief-torch", default=True, beams=beams),
            find(rows, task="translate", system="raw-torch", dtype=default, beams=beams),
            "sentences_per_s", 0.9,
        ))  # fmt: skip
    ct2 = find(rows, task="translate", system="nlbrief-ctranslate2", beams=1)
    out.append(
        ratio(
            "translate: nlbrief ctranslate2 / raw translate_batch, greedy",
            ct2,
            find(rows, task="translate", system="raw-ct2", beams=1),
            "sentences_per_s",
            0.9,
        )
    )
    out.append(ratio("translate: nlbrief ctranslate2 / nlbrief torch float32, greedy", ct2,
                     find(rows, task="translate", system="nlbrief-torch", dtype="float32", beams=1),
                     "sentences_per_s", 2.0))  # fmt: skip
    now = find(rows, task="summarize", system="defaults")
    out.append(ratio("summarize: defaults / today, the brief rows' summarize stage (articles per minute)",
                     find(rows, task="brief", system="defaults"), find(rows, task="brief", system="today"),
                     "summarize_articles_per_min", 4.0))  # fmt: skip
    today = find(rows, task="summarize", system="today")
    if today:  # --full: the summarizer alone on the 8 articles, today's code against this checkout's
        what = "summarize: defaults / today, the 8 articles alone (articles per minute)"
        out.append(ratio(what, now, today, "articles_per_min", 4.0))
    if now and not now.get("skipped"):
        gb = now["peak_rss_mb"] / MB_PER_GB
        out.append({"what": "summarize: defaults, peak RSS", "measured": round(gb, 2), "target": "<= 2 GB",
                    "shown": f"{gb:.2f} GB", "pass": gb <= 2.0})  # fmt: skip
    brief = find(rows, task="brief", system="defaults")
    out.append(
        ratio(
            "brief: defaults / today (articles per minute)",
            brief,
            find(rows, task="brief", system="today"),
            "articles_per_min",
            3.0,
        )
    )
    if brief and not brief.get("skipped"):
        share = brief["checks_share"]
        out.append({"what": "brief: checks + second tries, share of the rest", "measured": share,
                    "target": "<= 5%", "shown": f"{share:.1%}", "pass": share <= 0.05})  # fmt: skip
    total = result["total_s"]
    out.append({"what": "make bench: whole run", "measured": total, "target": "<= 900 s",
                "shown": f"{total:.0f} s", "pass": total <= 900})  # fmt: skip
    return out


def setting(r: dict) -> str:
    if r.get("emulated_bf16"):
        r = {**r, "dtype": "bfloat16 (emulated by this CPU)"}
    if r["task"] == "translate":
        return f"{r.get('dtype') or '?'}, beams {r.get('beams')}" + (
            " (the torch path's defaults)" if r.get("default") else ""
        )
    if r["task"] == "summarize":
        return f"{r.get('dtype', '?')}, {r.get('group_size', '?')} at a time, {r.get('code', '')}"
    ts, ss = r.get("translation_settings") or {}, r.get("summarizer_settings") or {}
    code = "today's code" if r["system"] == "today" else "this checkout"
    engine = f"ctranslate2 {ts['compute_type']}" if ts.get("compute_type") else "torch"
    return (f"{code} at its defaults: {engine}, beams {ts.get('beams', '?')}; summarizer "
            f"{ss.get('dtype', 'float32')}, {ss.get('batch', 1)} at a time")  # fmt: skip


def speed(r: dict) -> str:
    if r["task"] == "translate":
        return f"{r['sentences_per_s']:.2f} sent/s, {r['tokens_per_s']:.0f} tok/s"
    return f"{r['articles_per_min']:.2f} art/min" + (
        f", {r['tokens_per_s']:.0f} tok/s" if "tokens_per_s" in r else ""
    )


def table(rows: list[dict], markdown: bool = False) -> list[str]:
    head = ["task", "row", "setting", "speed", "peak RSS", "load", "run", "others"]
    lines = []
    for r in rows:
        if r.get("skipped"):
            lines.append([r.get("task", "?"), str(r.get("system")), setting(r), "skipped: " + r["skipped"],
                          "", "", "", ""])  # fmt: skip
            continue
        busy = r.get("others_cpu_share")
        rss = f"{r['peak_rss_mb']:.0f} MB" + (f" ({r['rss_note']})" if r.get("rss_note") else "")
        run = f"{r['seconds']:.1f} s"
        if r.get("passes_s"):
            run += " (mean of " + " and ".join(f"{s:.1f}" for s in r["passes_s"]) + ")"
        lines.append([r["task"], r["system"], setting(r), speed(r), rss, f"{r.get('load_s', 0):.1f} s", run,
                      "?" if busy is None else f"{busy:.0%}"])  # fmt: skip
    if markdown:
        return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] + [
            "| " + " | ".join(c.replace("|", "/") for c in line) + " |" for line in lines
        ]
    widths = [max(len(x[i]) for x in [head, *lines]) for i in range(len(head))]
    fmt = lambda line: "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()  # noqa: E731
    return [fmt(head), fmt(["-" * w for w in widths]), *(fmt(line) for line in lines)]


def target_lines(found: list[dict]) -> list[str]:
    width = max(len(t["what"]) for t in found)
    out = []
    for t in found:
        verdict = (
            "PASS" if t["pass"] else ("MISS" if t["pass"] is False else f"not measured ({t.get('why')})")
        )
        out.append(f"{t['what'].ljust(width)}  {t['shown']:>8}  target {t['target']:<9} {verdict}")
    return out


def busy_warning(rows: list[dict]) -> str | None:
    busy = [r for r in rows if (r.get("others_cpu_share") or 0) > BUSY_SHARE]
    if not busy:
        return None
    which = ", ".join(f"{r['task']} {r['system']} {r['others_cpu_share']:.0%}" for r in busy)
    return (
        f"warning: other processes took CPU during {len(busy)} rows ({which}): those figures are low "
        "and noisy, and ratios between rows run at different loads are unreliable; rerun on a quiet machine"
    )


def stage_lines(rows: list[dict]) -> list[str]:
    out = []
    for r in rows:
        if r["task"] == "brief" and not r.get("skipped"):
            parts = ", ".join(f"{k.replace('_', ' ')} {v:.1f}" for k, v in r["stages_s"].items())
            out.append(f"brief {r['system']}: {r['articles']} articles, {r['sentences']} sentences in "
                       f"{r['seconds']:.0f} s ({r['articles_per_min']:.2f}/min, peak RSS "
                       f"{r['peak_rss_mb']:.0f} MB); stages (s): {parts}")  # fmt: skip
    return out


def summary(result: dict) -> list[str]:
    """What the run prints at its end: the table, the stages, the targets, the warnings."""
    lines = table(result["rows"])
    lines += ["", *stage_lines(result["rows"]), "", "targets:", *target_lines(result["targets"])]
    parts = ", ".join(f"{k} {v:.0f} s" for k, v in result["timings_s"].items())
    lines.append(f"time: {parts}; total {result['total_s']:.0f} s")
    warning = busy_warning(result["rows"])
    return lines + ([warning] if warning else [])


def section(result: dict) -> list[str]:
    """The README's performance section, from the JSON alone."""
    m, tr = result["machine"], result["settings"].get("translate", {})
    tok = result["settings"]["tokenizer"]
    sm = result["settings"].get("summarize", {})
    br = result["settings"].get("brief", {})
    import machine

    out = [
        f"Measured by `make bench` on {result['created'][:10]}: {machine.describe(m)}. Random weights of the "
        "real shapes (opus-mt-nl-en, Qwen2.5-0.5B-Instruct); output lengths forced to realistic ones "
        "(bench/README.md). Today = nlbrief at " + f"`{result['baseline']}`" + ", run from its own code.",
        "",
        f"- Translation: {tr.get('count', '?')} sentences, {tr.get('words', '?')} words in "
        f"{tr.get('documents', '?')} NTREX-128 documents "
        f"({tr.get('source_tokens', '?')} source tokens, {tok['tokens_per_word_nl']} tokens per word "
        "held out; "
        f"opus-mt: about 1.3 to 1.5), each sentence writing its English reference's length.",
        f"- Summarization: {len(sm.get('prompt_tokens', []))} English NTREX-128 articles, prompts of "
        f"{min(sm.get('prompt_tokens', [0]))} to {max(sm.get('prompt_tokens', [0]))} tokens, "
        "about 100 new tokens each.",
        f"- Brief: `nlbrief brief` over {br.get('articles', '?')} Dutch NTREX-128 articles of one day.",
        "",
        *table(result["rows"], markdown=True),
        "",
        *(f"- {line}" for line in stage_lines(result["rows"])),
        "",
        "| target | measured | wanted | |",
        "|---|---|---|---|",
    ]
    for t in result["targets"]:
        verdict = "PASS" if t["pass"] else ("MISS" if t["pass"] is False else f"not measured: {t.get('why')}")
        out.append(f"| {t['what']} | {t['shown']} | {t['target']} | {verdict} |")
    warning = busy_warning(result["rows"])
    parts = ", ".join(f"{k} {v:.0f} s" for k, v in result["timings_s"].items())
    out += ["", f"The run took {result['total_s']:.0f} s ({parts})." + (f" {warning}" if warning else "")]
    return out


def update_readme(result: dict, readme: Path = REPO / "README.md") -> None:
    text = readme.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{readme}: no {BEGIN} ... {END} markers")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(head + BEGIN + "\n" + "\n".join(section(result)) + "\n" + END + tail, encoding="utf-8")


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "bench" / "results" / "latest.json"
    update_readme(json.loads(path.read_text(encoding="utf-8")))
    print(f"README.md: regenerated from {path}")
