"""Prompts as token ids, with the article's text never read as the tokenizer's special tokens.

An article may hold the very strings a tokenizer reserves: ``<mask>`` (bart-large-cnn's is one past
its embedding, an IndexError), ``<|im_end|>`` and ``<|im_start|>`` (a Qwen chat turn ended and
another begun from inside the article), ``</s>`` or ``<extra_id_0>`` (T5). Text is therefore
tokenized with ``split_special_tokens=True``; a chat prompt keeps its template's markup special and
only the messages' content is text, by rendering the template around placeholders and tokenizing
the pieces apart.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pipeline.errors import ModelError
from pipeline.summarize.templates import RenderedPrompt

# Stand-ins for the messages' content while the chat template renders: private-use characters, which
# no template writes, around the message's index.
_PLACEHOLDER = "\ue000nlbrief-message-{}\ue001"


def text_ids(tokenizer: Any, texts: Sequence[str], *, add_special_tokens: bool) -> list[list[int]]:
    """Token ids of ``texts`` read as text: a special token's string in them is spelled out in pieces.

    ``add_special_tokens``: the tokens the tokenizer adds around a text (T5's and BART's ``</s>``).
    """
    encoded = tokenizer(list(texts), add_special_tokens=add_special_tokens, split_special_tokens=True)
    return [list(ids) for ids in encoded["input_ids"]]


def chat_ids(tokenizer: Any, prompt: RenderedPrompt) -> list[int]:
    """The chat template's rendering of ``prompt`` as the model reads it: markup special, content text.

    Ordinary text gets the ids the whole rendering would get (markup and content meet at the
    template's newlines and special tokens, where tokens break anyway).
    """
    messages = prompt.messages()
    marked = [{**m, "content": _PLACEHOLDER.format(i)} for i, m in enumerate(messages)]
    rendered: str = tokenizer.apply_chat_template(marked, add_generation_prompt=True, tokenize=False)
    ids: list[int] = []
    rest = rendered
    for i, message in enumerate(messages):
        markup, found, rest = rest.partition(_PLACEHOLDER.format(i))
        if not found or _PLACEHOLDER.format(i) in rest:
            raise ModelError(
                "the summarizer's chat template does not put each message's text in its prompt once, as "
                "given; pass --summarizer-model with a chat model whose template does (e.g. "
                "Qwen/Qwen2.5-0.5B-Instruct)"
            )
        ids += tokenizer(markup, add_special_tokens=False)["input_ids"]
        [content] = text_ids(tokenizer, [message["content"]], add_special_tokens=False)
        ids += content
    ids += tokenizer(rest, add_special_tokens=False)["input_ids"]
    return ids


def keep_special_pieces_out_of_text(tokenizer: Any) -> None:
    """Make ``split_special_tokens`` hold for a unigram tokenizer (T5's) too.

    A unigram vocabulary lists ``</s>``, ``<pad>``, ``<unk>`` and the sentinels as pieces of the
    highest score, so its lattice still finds them in text that was not split on special tokens.
    Their pieces are renamed to strings no text holds; the ids stay, and the tokenizer's own special
    tokens (matched before the lattice, and used for decoding) still name them.
    """
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None:  # a sentencepiece tokenizer (Marian's) never reads its control pieces in text
        return
    model = json.loads(backend.to_str())["model"]
    if model.get("type") != "Unigram":
        return
    special = set(tokenizer.all_special_tokens)
    if not any(piece in special for piece, _ in model["vocab"]):
        return
    from tokenizers import models

    vocab = [(f"\x00{piece}" if piece in special else piece, score) for piece, score in model["vocab"]]
    backend.model = models.Unigram(vocab, model.get("unk_id"), model.get("byte_fallback", False))
