"""The MarianMT tokenizer as both backends use it: one load, the same ids, the same input limit.

Both engines tokenize with transformers' ``MarianTokenizer`` from the model folder, so the
translator's splitting and batching are identical whichever engine generates.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from pipeline.errors import ModelError
from pipeline.models.runtime import quiet_transformers


@functools.cache
def load_tokenizer(path: str) -> Any:
    """One load per process: every translator of a run shares the tokenizer."""
    try:
        from transformers import MarianTokenizer

        quiet_transformers()
        return MarianTokenizer.from_pretrained(path, local_files_only=True)
    except (OSError, ValueError, KeyError, RuntimeError) as err:
        raise ModelError(f"cannot load the MarianMT tokenizer from {path}: {err}".splitlines()[0]) from err


def max_input_tokens(tokenizer: Any, max_position_embeddings: Any) -> int:
    """The longest input the model takes: its position table or the tokenizer's limit, whichever is
    smaller (a limit of a million or more is transformers' "none set")."""
    limits: list[Any] = [max_position_embeddings, getattr(tokenizer, "model_max_length", None)]
    return min(int(v) for v in limits if v and int(v) < 1_000_000)


def unknown_id(tokenizer: Any) -> int | None:
    """The id of <unk> (opus-mt's vocabularies have no byte fallback: an unseen character becomes it)."""
    value = getattr(tokenizer, "unk_token_id", None)
    return int(value) if value is not None else None


def encode(tokenizer: Any, texts: Sequence[str]) -> list[list[int]]:
    """Token ids per text, the closing ``</s>`` included.

    The text is text: ``</s>``, ``<unk>`` or ``<pad>`` written in an article are spelled out in
    pieces, not read as the special tokens (a ``</s>`` would end the sentence there for the model).
    """
    encoded = tokenizer(list(texts), add_special_tokens=True, split_special_tokens=True)
    return [list(ids) for ids in encoded["input_ids"]]


def decode(tokenizer: Any, outputs: Sequence[Sequence[int]]) -> list[str]:
    return [text.strip() for text in tokenizer.batch_decode(outputs, skip_special_tokens=True)]
