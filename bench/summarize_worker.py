"""One summarization row in a process of its own: nlbrief's summarizer as its command builds it.

    python bench/summarize_worker.py SPEC.json   (written by bench/run.py; prints one JSON row last)

SPEC: code (the folder whose ``pipeline`` runs: this checkout, or today's revision from
bench/baseline.py), overrides (options given on top of `nlbrief summarize`'s defaults, e.g. dtype,
quantize), model, articles_file, threads.

The summarizer is built by the command's own wiring at its defaults (bench/nlbrief_options.py) and
driven by the stage's own loop, ``pipeline.stages.process._summaries``, which summarizes the articles
in the groups the stage uses (today one at a time on a CPU). Random weights never stop, so every answer
is forced to half its bound (min_new_tokens = max_new_tokens: bullets 90 tokens for 3 bullets, headline
16), about 100 new tokens per article, the same rule as bench/forced_cli.py. One untimed call of 2
tokens warms the model up first.
"""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def force_half_bound(model: object) -> list[int]:
    """Every generate() call writes exactly half its max_new_tokens; returns the counter of new tokens."""
    original = model.generate
    generated = [0]

    def generate(*args, **kwargs):
        n = max(1, math.ceil(kwargs["max_new_tokens"] / 2))
        kwargs["max_new_tokens"] = kwargs["min_new_tokens"] = n
        out = original(*args, **kwargs)
        generated[0] += out.shape[0] * (out.shape[1] - kwargs["input_ids"].shape[1])
        return out

    model.generate = generate
    return generated


def main(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    sys.path.insert(0, str(BENCH))
    sys.path.insert(0, spec["code"])  # first: today's revision wins over the editable install
    began = time.perf_counter()
    import nlbrief_options
    import torch
    import transformers  # noqa: F401 - imported before the clocks
    from measure import Stopwatch, peak_rss_mb

    from pipeline.stages.process import _summaries
    from pipeline.summarize.summarizer import Article

    import_s = round(time.perf_counter() - began, 2)
    row: dict = {"task": "summarize", "system": spec["label"], "overrides": spec["overrides"],
                 "threads": spec["threads"], "import_s": import_s,
                 "code": "today" if spec["code"] != str(BENCH.parent) else "this checkout"}  # fmt: skip
    try:
        opts = nlbrief_options.options(
            "summarize", summarizer_model=spec["model"], threads=spec["threads"], device="cpu",
            **spec["overrides"],
        )  # fmt: skip
    except nlbrief_options.Unavailable as why:
        print(json.dumps({**row, "skipped": str(why)}))
        return 0
    lazy = nlbrief_options.summarizer(opts)
    began = time.perf_counter()
    summarizer = lazy.get()
    row["load_s"] = round(time.perf_counter() - began, 2)
    generator = summarizer.generator
    row["dtype"] = str(next(generator.model.parameters()).dtype).removeprefix("torch.")
    row["group_size"] = lazy.group_size
    row["pipeline"] = sys.modules["pipeline"].__file__

    warm = Article("warm-up", "Een korte titel", ["A short paragraph to warm the model up."])
    template = summarizer.templates["bullets"]
    generator.generate([template.render(title=warm.title, text=warm.paragraphs[0], bullets=1)], 2)
    generated = force_half_bound(generator.model)
    torch.manual_seed(0)
    loaded = json.loads(Path(spec["articles_file"]).read_text(encoding="utf-8"))
    articles = [Article(a["id"], a["title"], a["paragraphs"]) for a in loaded]
    with Stopwatch() as watch:
        results = list(_summaries(lazy, articles, lambda done, total: None))
    watch.record(row)
    failed = [r for _, r, _ in results if not hasattr(r, "bullets")]
    if failed:
        raise RuntimeError(f"{len(failed)} articles failed: {failed[0]}")
    row["articles"] = len(articles)
    row["articles_per_min"] = round(60 * len(articles) / row["seconds"], 2)
    row["new_tokens"] = generated[0]
    row["tokens_per_s"] = round(generated[0] / row["seconds"], 1)
    row["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(row))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
