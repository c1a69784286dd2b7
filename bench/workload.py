"""The benchmark's inputs, all read from the shared data (never copied into the repository).

- Translation: the first ``sentences`` Dutch sentences of the NTREX-128 documents, in document order,
  from the documents the tokenizer was not trained on (bench/tokenizer.py). Each sentence carries the
  length of its English reference in the target tokenizer (plus ``</s>``): the number of tokens a
  real model would write for it, since random weights never stop by themselves.
- Summarization: English NTREX-128 documents (of the same held-out ones) whose bullets prompt (chat
  markup included) comes to ``PROMPT_TOKENS`` in the summarizer's tokenizer, the first
  ``articles`` of them in file order.
- End to end: the first ``articles`` Dutch documents of the translation workload, written as nlbrief
  input files (``date`` line, title, paragraphs of three sentences) into a temporary folder.
"""

from __future__ import annotations

import json
from pathlib import Path

PROMPT_TOKENS = (400, 900)  # the issue: prompts of about 400 to 900 tokens
SENTENCES_PER_PARAGRAPH = 3
DAY = "2025-10-06"  # every end-to-end article is of this day, so one briefing takes them all


def read_docs(data: Path) -> list[dict]:
    path = data / "parallel" / "ntrex128.docs.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def translation(data: Path, count: int, model_dir: Path, held_out: int) -> dict:
    """{"sentences": [{"nl", "doc", "new_tokens"}], "documents": n, "ratio": target/source tokens}."""
    from transformers import MarianTokenizer

    tokenizer = MarianTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    picked: list[tuple[str, str, str]] = []
    docs = read_docs(data)[:held_out]
    for doc in docs:
        for nl, en in zip(doc["nld_sentences"], doc["eng_sentences"], strict=True):
            if len(picked) < count:
                picked.append((doc["doc_id"], nl, en))
    if len(picked) < count:
        raise SystemExit(f"the held-out documents hold only {len(picked)} sentences, fewer than {count}")
    source = tokenizer([nl for _, nl, _ in picked])["input_ids"]
    target = tokenizer(text_target=[en for _, _, en in picked])["input_ids"]
    sentences = [
        {"doc": doc, "nl": nl, "new_tokens": len(tgt)}
        for (doc, nl, _), tgt in zip(picked, target, strict=True)
    ]
    words = sum(len(nl.split()) for _, nl, _ in picked)
    source_tokens = sum(len(ids) for ids in source)
    return {
        "sentences": sentences,
        "documents": len({doc for doc, _, _ in picked}),
        "words": words,
        "source_tokens": source_tokens,
        "tokens_per_word": round(source_tokens / words, 3),
        "new_tokens": sum(s["new_tokens"] for s in sentences),
        "ratio": round(sum(s["new_tokens"] for s in sentences) / source_tokens, 3),
    }


def article_of(doc: dict, language: str) -> tuple[str, list[str]]:
    """(title, paragraphs): the first sentence is the title, then paragraphs of three sentences."""
    sentences = doc[f"{language}_sentences"]
    body = sentences[1:]
    step = SENTENCES_PER_PARAGRAPH
    return sentences[0], [" ".join(body[i : i + step]) for i in range(0, len(body), step)]


def summarization(data: Path, count: int, summarizer_dir: Path, bullets: int, held_out: int) -> dict:
    """The first ``count`` English documents (of the ``held_out`` the tokenizers never saw) whose bullets
    prompt is within PROMPT_TOKENS."""
    from transformers import AutoTokenizer

    from pipeline.summarize.prompt_ids import chat_ids
    from pipeline.summarize.templates import load_template

    tokenizer = AutoTokenizer.from_pretrained(str(summarizer_dir), local_files_only=True)
    template = load_template("bullets")
    low, high = PROMPT_TOKENS
    picked = []
    for doc in read_docs(data)[:held_out]:
        title, paragraphs = article_of(doc, "eng")
        rendered = template.render(title=title, text="\n\n".join(paragraphs), bullets=bullets)
        tokens = len(chat_ids(tokenizer, rendered))
        if low <= tokens <= high:
            picked.append({"id": doc["doc_id"], "title": title, "paragraphs": paragraphs, "tokens": tokens})
        if len(picked) == count:
            break
    if len(picked) < count:
        raise SystemExit(f"only {len(picked)} documents have prompts of {low} to {high} tokens")
    return {"articles": picked, "prompt_tokens": [a["tokens"] for a in picked]}


def write_articles(data: Path, doc_ids: list[str], folder: Path) -> list[Path]:
    """The Dutch documents as nlbrief input files (one per document) in ``folder``."""
    by_id = {doc["doc_id"]: doc for doc in read_docs(data)}
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, doc_id in enumerate(doc_ids, start=1):
        title, paragraphs = article_of(by_id[doc_id], "nld")
        path = folder / f"{DAY}-{number:02d}-{doc_id.replace('.', '-')}.txt"
        path.write_text(f"date {DAY}\n{title}\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def references(data: Path, doc_ids: list[str]) -> dict[str, str]:
    """{Dutch sentence: its English reference} of the documents: what a real translator would write
    (bench/forced_cli.py gives it as the output of the random one, in the brief rows)."""
    from pipeline.text.segment import split_english_sentences, split_sentences

    wanted = set(doc_ids)
    pairs: dict[str, str] = {}
    for doc in read_docs(data):
        if doc["doc_id"] not in wanted:
            continue
        for nl, en in zip(doc["nld_sentences"], doc["eng_sentences"], strict=True):
            pairs[nl] = en
            # An NTREX segment of two sentences is two for nlbrief: paired one by one where both
            # languages split into as many, else the English words cut where each part keeps the
            # facts of its Dutch part, as a translation of each part would (the parts together still
            # say all the reference says).
            nl_parts, en_parts = split_sentences(nl), split_english_sentences(en)
            if len(nl_parts) > 1:
                if len(en_parts) != len(nl_parts):
                    en_parts = best_cut(nl_parts, en.split())
                pairs.update(zip(nl_parts, en_parts, strict=True))
    return pairs


def best_cut(nl_parts: list[str], words: list[str]) -> list[str]:
    """The English words shared out over the Dutch parts: in proportion to their lengths, moved (for two
    parts) to the cut nearest it after which nlbrief's check flags neither part, when there is one."""
    from pipeline.checks.sentence import check_sentence

    shared = proportional(words, [len(part.split()) for part in nl_parts])
    if len(nl_parts) != 2:
        return shared
    middle = len(shared[0].split())
    for cut in sorted(range(1, len(words)), key=lambda c: abs(c - middle)):
        first, second = " ".join(words[:cut]), " ".join(words[cut:])
        if not check_sentence(nl_parts[0], first) and not check_sentence(nl_parts[1], second):
            return [first, second]
    return shared


def proportional(words: list[str], weights: list[int]) -> list[str]:
    total, cuts, seen = sum(weights) or 1, [0], 0
    for weight in weights[:-1]:
        seen += weight
        cuts.append(round(len(words) * seen / total))
    cuts.append(len(words))
    return [" ".join(words[a:b]) for a, b in zip(cuts, cuts[1:], strict=False)]
