"""Time and memory per article of nlbrief's summarizer on a full-size model shape (random weights).

No pretrained weights can be downloaded here, so this builds once (cached in the git-ignored
bench/.models/) a random-weight causal LM with the architecture of the default summarizer,
Qwen/Qwen2.5-0.5B-Instruct (hidden 896, 24 layers, 14 heads, 2 key-value heads, intermediate
4864, vocab 151936, tied embeddings). Its tokenizer is the test fixtures' Qwen2-style byte-level BPE
and chat template (tests/helpers/tiny_models.py) trained instead on the shared English news text
with 32,000 merges (the fixtures' 800 pieces cut English into several times more tokens than Qwen's
own): FLORES-200 devtest and the NTREX-128 documents after the first 40, which the benchmark's
articles come from (bench/tokenizer.py holds them out the same way). Ids past the tokenizer's are
never written (their embedding rows are zero). The weights are saved in bfloat16, as Qwen's are.
Random weights never stop on their own, so this script's answers run to their full bound (bullets: 60
tokens per bullet, headline: 32): an upper bound for a real model, which stops earlier.

Usage: python bench/summarize_cost.py [--articles 4] [--bullets 3] [--threads N] [--corpus PATH]
The corpus is the English side of ../shared/data/parallel/ntrex128.docs.jsonl (news documents).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MODEL_DIR = REPO / "bench" / ".models" / "qwen2.5-0.5b-random-bpe32k-bf16"
DATA_DIR = REPO.parent / "shared" / "data"
BPE_MERGES = 32000
QWEN_SHAPE = {
    "hidden_size": 896,
    "num_hidden_layers": 24,
    "num_attention_heads": 14,
    "num_key_value_heads": 2,
    "intermediate_size": 4864,
    "vocab_size": 151936,
    "max_position_embeddings": 32768,
    "rope_theta": 1000000.0,
    "rms_norm_eps": 1e-6,
    "tie_word_embeddings": True,
}


def tiny_chat_tokenizer_dir(work: Path) -> Path:
    path = REPO / "tests" / "helpers" / "tiny_models.py"
    spec = importlib.util.spec_from_file_location("tiny_models", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.path.insert(0, str(REPO / "bench"))
    import tokenizer

    _, english = tokenizer.training_text(DATA_DIR)
    module.BPE_VOCAB_SIZE = BPE_MERGES  # the fixture's trainer, on realistic text and vocabulary
    module.summary_corpus = lambda: english
    return module.BUILDERS["chat-summarizer"](work)


def tokens_per_word(folder: Path) -> float:
    """Tokens per word of the tokenizer on the held-out English NTREX documents (bench/tokenizer.py)."""
    import tokenizer
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    held = [
        s for doc in tokenizer.read_docs(DATA_DIR)[: tokenizer.HELD_OUT_DOCS] for s in doc["eng_sentences"]
    ]
    words = sum(len(s.split()) for s in held)
    return round(sum(len(ids) for ids in tok(held, add_special_tokens=False)["input_ids"]) / words, 3)


def build_model() -> Path:
    if (MODEL_DIR / "model.safetensors").exists():
        return MODEL_DIR
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    work = MODEL_DIR.with_name("tmp-qwen-build")
    shutil.rmtree(work, ignore_errors=True)
    tiny = tiny_chat_tokenizer_dir(work / "tiny")
    tiny_config = json.loads((tiny / "config.json").read_text())
    config = Qwen2Config(
        **QWEN_SHAPE,
        bos_token_id=tiny_config.get("bos_token_id"),
        eos_token_id=tiny_config.get("eos_token_id"),
        pad_token_id=tiny_config.get("pad_token_id"),
    )
    torch.manual_seed(0)
    model = Qwen2ForCausalLM(config)
    with torch.no_grad():  # ids the tiny tokenizer cannot decode never win the argmax
        model.model.embed_tokens.weight[tiny_config["vocab_size"] :] = 0
    # Saved in bfloat16, as the real checkpoint is (config torch_dtype bfloat16): a float32 file would
    # make every load read twice the bytes, and a bfloat16 load hold both copies at its peak RSS.
    model.to(torch.bfloat16).save_pretrained(work / "model")
    for name in tiny.iterdir():
        if name.name not in {"config.json", "model.safetensors", "generation_config.json"}:
            shutil.copy(name, work / "model" / name.name)
    # the real Qwen2.5 tokenizer's limit, not the tiny model's small test context
    tokenizer_config = work / "model" / "tokenizer_config.json"
    settings = json.loads(tokenizer_config.read_text())
    settings["model_max_length"] = 131072
    tokenizer_config.write_text(json.dumps(settings, indent=2))
    (work / "model").rename(MODEL_DIR)
    shutil.rmtree(work, ignore_errors=True)
    return MODEL_DIR


def articles(corpus: Path, count: int) -> list:
    from pipeline.summarize.summarizer import Article

    found = []
    for line in corpus.read_text(encoding="utf-8").splitlines()[:count]:
        doc = json.loads(line)
        sentences = doc["eng_sentences"]
        paragraphs = [" ".join(sentences[i : i + 3]) for i in range(1, len(sentences), 3)]
        found.append(Article(doc["doc_id"], sentences[0], paragraphs))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=4)
    parser.add_argument("--bullets", type=int, default=3)
    parser.add_argument("--threads", type=int, default=None)
    default_corpus = REPO.parent / "shared/data/parallel/ntrex128.docs.jsonl"
    parser.add_argument("--corpus", type=Path, default=default_corpus)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    import torch

    from pipeline.models.locate import locate_model
    from pipeline.summarize.generators import GeneratorOptions, create_generator
    from pipeline.summarize.summarizer import Summarizer, SummarizeSettings

    if args.threads:
        torch.set_num_threads(args.threads)
    folder = build_model()
    begin = time.perf_counter()
    generator = create_generator(locate_model(str(folder)), GeneratorOptions(device="cpu"))
    load_s = time.perf_counter() - begin
    summarizer = Summarizer(generator, SummarizeSettings(bullets=args.bullets))
    batch = articles(args.corpus, args.articles)
    words = sum(len(a.text.split()) for a in batch) / len(batch)
    begin = time.perf_counter()
    results = summarizer.summarize(batch)
    elapsed = time.perf_counter() - begin
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report = {
        "model": "random weights, Qwen/Qwen2.5-0.5B-Instruct architecture (494 M parameters), float32, CPU",
        "articles": len(batch),
        "mean_words_per_article": round(words),
        "bullets": args.bullets,
        "answer_bounds": {name: summarizer.new_tokens(name) for name in ("bullets", "headline")},
        "chunks": [r.chunks for r in results],
        "threads": torch.get_num_threads(),
        "load_s": round(load_s, 1),
        "seconds_per_article": round(elapsed / len(batch), 1),
        "peak_rss_mb": round(peak_mb),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
