"""Fakes with a recorded history, for tests where a model would add nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.summarize.generators import Family
from pipeline.summarize.templates import RenderedPrompt

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


@dataclass
class FakeGenerator:
    """A summarizer model that answers in the shapes real ones do and records every prompt.

    Bullets list the MARKER words (upper-case tokens with digits) seen in the prompt, so a test
    can follow each chunk's facts through map and reduce. A word is one token.
    """

    context_tokens: int = 400
    summary_only: bool = False
    family: Family = Family.CHAT
    calls: list[tuple[list[RenderedPrompt], int]] = field(default_factory=list)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(text.split()) + 1 for text in texts]

    def prompt_tokens(self, prompts: Sequence[RenderedPrompt]) -> list[int]:
        return self.count_tokens([f"{p.system} {p.user}" for p in prompts])

    def generate(self, prompts: Sequence[RenderedPrompt], max_new_tokens: int) -> list[str]:
        self.calls.append((list(prompts), max_new_tokens))
        answers = []
        for prompt in prompts:
            markers = [w.strip(".,:-") for w in prompt.user.split() if w.strip(".,:-").startswith("FACT")]
            if "headline" in prompt.user.lower() and not self.summary_only:
                answers.append('Headline: "A headline about ' + (markers[0] if markers else "nothing") + '."')
            elif self.summary_only:
                answers.append(" ".join(f"Sentence about {m} ." for m in markers) or "Nothing .")
            else:
                answers.append(
                    "Here are the key points:\n"
                    + "\n".join(f"{i + 1}. Point about {m}" for i, m in enumerate(markers))
                )
        return answers


@dataclass
class EchoBackend(FakeBackend):
    """FakeBackend whose "translation" gives every word back unchanged, so a test can check that
    no word was lost, added or reordered on the way through splitting, batching and rebuilding."""

    def decode(self, outputs: Sequence[Sequence[int]]) -> list[str]:
        return [" ".join(self.words[i] for i in ids if i > START) for ids in outputs]


@dataclass
class CharEchoBackend(EchoBackend):
    """One token per character, so a single long word (a URL) is over the limit; echoes its input
    and counts the characters it was asked to encode (how much work a split costs)."""

    encoded_chars: int = 0

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        self.encoded += len(texts)
        self.encoded_chars += sum(len(text) for text in texts)
        return [[self._id(c) for c in text] + [EOS] for text in texts]

    def decode(self, outputs: Sequence[Sequence[int]]) -> list[str]:
        return ["".join(self.words[i] for i in ids if i > START) for ids in outputs]
