"""Translation backends: the token-level engine under the translator.

The translator (pipeline/translate/translator.py) owns sentence splitting, batching and order; a
backend only encodes, generates and decodes token ids. Backends are picked by name from
``BACKENDS``, a dict of factories, so a new engine is one entry, not another if/elif.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from pipeline.errors import ModelError, UnknownChoiceError, UsageError
from pipeline.models.locate import ModelSource, check_model_folder, check_translator_folder


class TranslationBackend(Protocol):
    name: str
    max_input_tokens: int

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids per text, special tokens (the closing </s>) included."""

    def generate(self, batch: Sequence[Sequence[int]], max_new_tokens: int) -> list[list[int]]:
        """Output ids per input, for one batch of encoded inputs."""

    def decode(self, outputs: Sequence[Sequence[int]]) -> list[str]: ...


@dataclass(frozen=True)
class BackendOptions:
    beams: int = 4
    device: str = "auto"  # auto | cpu | cuda
    threads: int | None = None
    allow_pickle: bool = False
    compute_type: str = "auto"  # ctranslate2 only: auto (int8 on CPU, int8_float16 on CUDA) or a CT2 type


DEVICES = ("auto", "cpu", "cuda")
NO_CUDA = "--device cuda was asked for but no CUDA GPU is visible; use --device cpu or auto"


def resolve_device(device: str) -> str:
    if device not in DEVICES:
        raise UnknownChoiceError("device", device, DEVICES)
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise UsageError(NO_CUDA)
    return device


def check_device(device: str) -> None:
    """A run's --device, checked before any work; torch is imported only to ask about ``cuda``."""
    if device not in DEVICES:
        raise UnknownChoiceError("device", device, DEVICES)
    if device == "cuda":
        resolve_device(device)


class TorchMarianBackend:
    """MarianMT through transformers: model class plus ``generate()`` (transformers 5 has no pipeline)."""

    name = "torch"

    @staticmethod
    def check_options(options: BackendOptions) -> None:
        """Raise UsageError, before any work, for options this backend cannot run with."""
        check_device(options.device)
        if options.compute_type != "auto":
            from pipeline.translate.backends.ct2_marian import COMPUTE_TYPES

            if options.compute_type not in COMPUTE_TYPES:
                raise UnknownChoiceError("compute type", options.compute_type, COMPUTE_TYPES)
            raise UsageError(
                f"--compute-type {options.compute_type} applies to --backend ctranslate2 only (the torch "
                "backend runs float32 on a CPU); leave it out, or add --backend ctranslate2"
            )

    def __init__(self, source: ModelSource, options: BackendOptions) -> None:
        # The folder is checked before torch is imported: a wrong folder fails at once, and clearly.
        check_model_folder(source.path, allow_pickle=options.allow_pickle, option="--translator-model")
        check_translator_folder(source.path)
        import torch

        if options.threads:
            torch.set_num_threads(options.threads)
        self.device = resolve_device(options.device)
        self.beams = options.beams
        self.tokenizer, self.model = _load_marian(str(source.path), self.device, options.allow_pickle)
        limits = [
            getattr(self.model.config, "max_position_embeddings", None),
            getattr(self.tokenizer, "model_max_length", None),
        ]
        self.max_input_tokens = min(int(v) for v in limits if v and int(v) < 1_000_000)
        self.pad_id = int(self.model.config.pad_token_id)

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        return [list(ids) for ids in self.tokenizer(list(texts), add_special_tokens=True)["input_ids"]]

    def generate(self, batch: Sequence[Sequence[int]], max_new_tokens: int) -> list[list[int]]:
        import torch

        width = max(len(ids) for ids in batch)
        input_ids = torch.full((len(batch), width), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for row, ids in enumerate(batch):
            input_ids[row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
            mask[row, : len(ids)] = 1
        with torch.inference_mode():
            out = self.model.generate(
                input_ids=input_ids.to(self.device),
                attention_mask=mask.to(self.device),
                **generation_kwargs(self.beams, max_new_tokens),
            )
        return out.cpu().tolist()

    def decode(self, outputs: Sequence[Sequence[int]]) -> list[str]:
        texts = self.tokenizer.batch_decode(outputs, skip_special_tokens=True)
        return [t.strip() for t in texts]


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


@functools.cache
def _load_marian(path: str, device: str, allow_pickle: bool) -> tuple[object, object]:
    """One load per process: every translator of a run shares the same weights."""
    try:
        from transformers import MarianMTModel, MarianTokenizer
        from transformers.utils import logging as hf_logging

        # Library chatter (progress bars, generation notices) would drown our one-line messages.
        hf_logging.set_verbosity_error()
        hf_logging.disable_progress_bar()

        tokenizer = MarianTokenizer.from_pretrained(path, local_files_only=True)
        model = MarianMTModel.from_pretrained(
            path,
            local_files_only=True,
            trust_remote_code=False,
            use_safetensors=None if allow_pickle else True,
        )
    except (OSError, ValueError, KeyError, RuntimeError) as err:
        raise ModelError(f"cannot load a MarianMT model from {path}: {err}".splitlines()[0]) from err
    model.to(device)
    model.eval()
    return tokenizer, model


BackendFactory = Callable[[ModelSource, BackendOptions], TranslationBackend]


class _CTranslate2Factory:
    """Imported on use: ctranslate2 is an optional extra (nlbrief[fast]) and must not slow down startup."""

    def __call__(self, source: ModelSource, options: BackendOptions) -> TranslationBackend:
        from pipeline.translate.backends.ct2_marian import CT2MarianBackend

        return CT2MarianBackend(source, options)

    @staticmethod
    def check_options(options: BackendOptions) -> None:
        from pipeline.translate.backends.ct2_marian import check_ct2_options

        check_ct2_options(options)


# A factory may also have ``check_options(options)``, which the run calls before any work.
BACKENDS: dict[str, BackendFactory] = {
    "torch": TorchMarianBackend,
    "ctranslate2": _CTranslate2Factory(),
}


def check_backend_options(factory: BackendFactory, options: BackendOptions) -> None:
    """Option values the backend cannot run with, as a UsageError before any work (a test's fake
    factory has nothing to check)."""
    check = getattr(factory, "check_options", None)
    if check is not None:
        check(options)


def backend_factory(name: str) -> BackendFactory:
    try:
        return BACKENDS[name]
    except KeyError:
        raise UnknownChoiceError("backend", name, list(BACKENDS)) from None


def create_backend(name: str, source: ModelSource, options: BackendOptions) -> TranslationBackend:
    return backend_factory(name)(source, options)
