"""One summarization benchmark row in its own process: naive, or nlbrief's summarizer (fp32 or int8).

    python bench/summarize_worker.py SPEC.json   (written by bench/run.py; prints one JSON row)

Both systems write the same number of tokens per article: every answer is forced to its full
bound (min_new_tokens = max_new_tokens: bullets 60 per bullet, headline 32), since random
weights never stop on their own and a fair comparison needs equal output lengths.
- naive: for each article, one generate() for the bullets, then one for the headline, each
  prompt holding the article (the usual way), float32, batch 1, chat template, greedy.
- torch: pipeline.summarize.summarizer.Summarizer over pipeline.summarize.generators.ChatGenerator: articles
  batched with left padding, the headline written from the title and the bullets (a short
  prompt instead of a second pass over the article), optionally --quantize int8.
"""

from __future__ import annotations

import functools
import json
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from summarize_cost import articles, build_model  # noqa: E402
from worker import Stopwatch, peak_rss_mb  # noqa: E402


def force_full_length(model: object) -> list[int]:
    """Make every generate() call write exactly max_new_tokens; returns the list that counts them."""
    original = model.generate
    generated = [0]

    @functools.wraps(original)
    def generate(*args, **kwargs):
        kwargs["min_new_tokens"] = kwargs.get("max_new_tokens")
        out = original(*args, **kwargs)
        generated[0] += out.shape[0] * (out.shape[1] - kwargs["input_ids"].shape[1])
        return out

    model.generate = generate
    return generated


def run_naive(spec: dict, batch: list, row: dict) -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    from pipeline.summarize.templates import load_template

    hf_logging.disable_progress_bar()  # nlbrief's loader does the same; keeps stderr to real messages

    begin = time.perf_counter()
    tokenizer = AutoTokenizer.from_pretrained(spec["model"])
    model = AutoModelForCausalLM.from_pretrained(spec["model"], dtype=torch.float32).eval()
    row["load_s"] = round(time.perf_counter() - begin, 2)
    bullets, headline = load_template("bullets"), load_template("headline")
    generated = 0

    def ask(rendered) -> int:
        messages = [
            {"role": "system", "content": rendered.system},
            {"role": "user", "content": rendered.user},
        ]
        encoded = tokenizer.apply_chat_template(
            messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
        )
        n = rendered.max_new_tokens
        out = model.generate(**encoded, max_new_tokens=n, min_new_tokens=n, do_sample=False, num_beams=1)
        return out.shape[1] - encoded["input_ids"].shape[1]

    with Stopwatch() as watch:
        for article in batch:
            generated += ask(bullets.render(title=article.title, text=article.text, bullets=spec["bullets"]))
            generated += ask(headline.render(title=article.title, text=article.text))
    watch.record(row)
    row["generated_tokens"] = generated


def run_torch(spec: dict, batch: list, row: dict) -> None:
    from pipeline.models.locate import locate_model
    from pipeline.summarize.generators import GeneratorOptions, create_generator
    from pipeline.summarize.summarizer import Summarizer, SummarizeSettings

    begin = time.perf_counter()
    generator = create_generator(
        locate_model(spec["model"], download=False),
        GeneratorOptions("cpu", threads=spec.get("threads"), quantize=spec["quantize"]),
    )
    row["load_s"] = round(time.perf_counter() - begin, 2)
    generated = force_full_length(generator.model)
    summarizer = Summarizer(generator, SummarizeSettings(bullets=spec["bullets"]))
    with Stopwatch() as watch:
        results = summarizer.summarize(batch)
    watch.record(row)
    row["generated_tokens"] = generated[0]
    row["expected_tokens"] = len(batch) * (
        summarizer.new_tokens("bullets") + summarizer.new_tokens("headline")
    )
    row["chunks"] = [r.chunks for r in results]


def main(spec_path: str) -> int:
    begin = time.perf_counter()
    import torch
    import transformers  # noqa: F401 - imported here to time it

    import_s = round(time.perf_counter() - begin, 3)
    spec = json.loads(Path(spec_path).read_text())
    if spec.get("threads"):
        torch.set_num_threads(spec["threads"])
    batch = articles(Path(spec["corpus"]), spec["articles"])
    row = {
        "task": "summarize",
        "system": spec["system"],
        "beams": 1,
        "quantize": spec["quantize"],
        "threads": torch.get_num_threads(),
        "bullets": spec["bullets"],
        "import_s": import_s,
        "torch": torch.__version__,
        "transformers": transformers.__version__,
    }
    {"naive": run_naive, "torch": run_torch}[spec["system"]](spec, batch, row)
    row["items"] = len(batch)
    row["words_per_article"] = round(sum(len(a.text.split()) for a in batch) / len(batch))
    row["items_per_s"] = round(len(batch) / row["seconds"], 4)
    row["articles_per_min"] = round(60 * len(batch) / row["seconds"], 2)
    row["tokens_per_s"] = round(row["generated_tokens"] / row["seconds"], 2)
    row["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(row))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "--build":
        print(build_model())
        sys.exit(0)
    sys.exit(main(sys.argv[1]))
