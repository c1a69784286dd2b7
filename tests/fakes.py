"""Fakes with a recorded history, for tests where a model would add nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

EOS = 0
START = 1


@dataclass
class FakeBackend:
    """Word-level "translation" that upper-cases each word; a word is one token plus </s>.

    Records every batch it is given, so tests can check batching, ordering and bounds.
    """

    max_input_tokens: int = 64
    name: str = "fake"
    vocab: dict[str, int] = field(default_factory=dict)
    words: dict[int, str] = field(default_factory=dict)
    batches: list[tuple[int, int, int]] = field(default_factory=list)  # (rows, width, max_new_tokens)
    encoded: int = 0

    def _id(self, word: str) -> int:
        if word not in self.vocab:
            self.vocab[word] = len(self.vocab) + 2
            self.words[self.vocab[word]] = word
        return self.vocab[word]

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        self.encoded += len(texts)
        return [[self._id(w) for w in text.split()] + [EOS] for text in texts]

    def generate(self, batch: Sequence[Sequence[int]], max_new_tokens: int) -> list[list[int]]:
        self.batches.append((len(batch), max(len(ids) for ids in batch), max_new_tokens))
        return [[START] + [i for i in ids if i != EOS][:max_new_tokens] for ids in batch]

    def decode(self, outputs: Sequence[Sequence[int]]) -> list[str]:
        return [" ".join(self.words[i].upper() for i in ids if i > START) for ids in outputs]
