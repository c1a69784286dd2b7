"""What a translation backend is: the token-level engine under the translator.

The translator (pipeline/translate/translator.py) owns sentence splitting, batching and order; a
backend only encodes, generates and decodes token ids. The engines are in torch_marian.py and
ct2_marian.py, named in registry.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from pipeline.models.locate import ModelSource


class TranslationBackend(Protocol):
    name: str
    max_input_tokens: int
    unknown_id: int | None  # the id of <unk>, which decoding drops: the checks count it first

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids per text, special tokens (the closing </s>) included."""

    def generate(
        self, batch: Sequence[Sequence[int]], max_new_tokens: int, beams: int | None = None
    ) -> list[list[int]]:
        """The generated ids per input, for one batch of encoded inputs: no decoder start, no padding,
        ``</s>`` last when the model ended the sentence, so a row of ``max_new_tokens`` ids ran into its
        bound. ``beams``: another beam setting than the backend's own (a second try at a sentence)."""

    def decode(self, outputs: Sequence[Sequence[int]]) -> list[str]: ...


# One batch of encoded inputs and its bound on new tokens.
Work = tuple[Sequence[Sequence[int]], int]


@runtime_checkable
class ConcurrentBackend(Protocol):
    """A backend that runs several batches at once (CTranslate2's workers, one per core): given all the
    batches, it yields their outputs in order while it works ahead on the next ones."""

    def generate_many(self, work: Sequence[Work], beams: int | None = None) -> Iterator[list[list[int]]]: ...


@runtime_checkable
class CappedBackend(Protocol):
    """A backend with a most sentences per batch of its own, besides the translator's token budget."""

    batch_sentences: int | None


def batch_sentences(backend: TranslationBackend) -> int | None:
    """The most sentences a batch of ``backend`` should hold (None: the token budget alone decides)."""
    return backend.batch_sentences if isinstance(backend, CappedBackend) else None


def generate_each(
    backend: TranslationBackend, work: Sequence[Work], beams: int | None = None
) -> Iterator[list[list[int]]]:
    """The outputs of each batch of ``work``, in order: at once where the backend can, else one by one."""
    if isinstance(backend, ConcurrentBackend):
        yield from backend.generate_many(work, beams)
        return
    for batch, bound in work:
        yield backend.generate(batch, bound, beams=beams)


@dataclass(frozen=True)
class BackendOptions:
    beams: int = 4
    device: str = "auto"  # auto | cpu | cuda
    threads: int | None = None
    allow_pickle: bool = False
    compute_type: str = "auto"  # ctranslate2 only: auto (int8 on CPU, int8_float16 on CUDA) or a CT2 type
    dtype: str = "auto"  # torch only: auto (bfloat16 on a GPU or a CPU with native bf16), float32, bfloat16


# A registered factory also has ``check_options(options)``, which the run calls before any work, and
# ``fingerprint_fields(options)``: the options that change its output, resolved (see registry.py).
BackendFactory = Callable[[ModelSource, BackendOptions], TranslationBackend]


def generation_kwargs(beams: int, max_new_tokens: int) -> dict[str, object]:
    """The decoding settings every translation uses; tests reuse them for one-sentence references.

    Deterministic (no sampling); the output length is bounded per batch by the caller, so a
    runaway repetition stops long before the model's 512-token ceiling.
    """
    return {
        "num_beams": beams,
        "do_sample": False,
        "max_new_tokens": max_new_tokens,
        "max_length": None,
        "early_stopping": True if beams > 1 else None,
    }
