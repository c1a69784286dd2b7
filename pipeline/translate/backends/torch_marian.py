"""MarianMT through transformers: the default translation engine, float32 on a CPU or a GPU."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from pipeline.errors import ModelError, UnknownChoiceError, UsageError
from pipeline.models.locate import ModelSource, check_model_folder, check_translator_folder
from pipeline.models.runtime import (
    check_device,
    check_dtype,
    quiet_transformers,
    resolve_device,
    resolve_dtype,
)
from pipeline.translate.backends import marian
from pipeline.translate.backends.contract import BackendOptions, generation_kwargs
from pipeline.translate.backends.ct2_marian import COMPUTE_TYPES


class TorchMarianBackend:
    """MarianMT through transformers: model class plus ``generate()`` (transformers 5 has no pipeline)."""

    name = "torch"

    @staticmethod
    def check_options(options: BackendOptions) -> None:
        """Raise UsageError, before any work, for options this backend cannot run with."""
        check_device(options.device)
        check_dtype(options.dtype)
        if options.compute_type != "auto":
            if options.compute_type not in COMPUTE_TYPES:
                raise UnknownChoiceError("compute type", options.compute_type, COMPUTE_TYPES)
            raise UsageError(
                f"--compute-type {options.compute_type} applies to --backend ctranslate2 only (the torch "
                "backend runs float32 on a CPU); leave it out, or add --backend ctranslate2"
            )

    @staticmethod
    def fingerprint_fields(options: BackendOptions) -> dict[str, str]:
        """The number format the weights run in, resolved for this machine: it changes the words."""
        return {"dtype": resolve_dtype(options.dtype, resolve_device(options.device))}

    def __init__(self, source: ModelSource, options: BackendOptions) -> None:
        # The folder is checked before torch is imported: a wrong folder fails at once, and clearly.
        check_model_folder(source.path, allow_pickle=options.allow_pickle, option="--translator-model")
        check_translator_folder(source.path)
        import torch

        if options.threads:
            torch.set_num_threads(options.threads)
        self.device = resolve_device(options.device)
        self.dtype = resolve_dtype(options.dtype, self.device)
        self.beams = options.beams
        self.tokenizer, self.model = _load_marian(
            str(source.path), self.device, options.allow_pickle, self.dtype
        )
        self.max_input_tokens = marian.max_input_tokens(
            self.tokenizer, getattr(self.model.config, "max_position_embeddings", None)
        )
        self.pad_id = int(self.model.config.pad_token_id)
        self.unknown_id = marian.unknown_id(self.tokenizer)

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        return marian.encode(self.tokenizer, texts)

    def generate(
        self, batch: Sequence[Sequence[int]], max_new_tokens: int, beams: int | None = None
    ) -> list[list[int]]:
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
                **generation_kwargs(beams or self.beams, max_new_tokens),
            )
        # Each row: the decoder start, the new ids, then padding to the batch's longest (the start is
        # the pad id in MarianMT): the new ids alone, as the contract says.
        rows: list[list[int]] = [generated[1:] for generated in out.cpu().tolist()]
        for new_ids in rows:
            while new_ids and new_ids[-1] == self.pad_id:
                new_ids.pop()
        return rows

    def decode(self, outputs: Sequence[Sequence[int]]) -> list[str]:
        return marian.decode(self.tokenizer, outputs)


@functools.cache
def _load_marian(path: str, device: str, allow_pickle: bool, dtype: str = "float32") -> tuple[Any, Any]:
    """One load per process and number format: every translator of a run shares the same weights."""
    tokenizer = marian.load_tokenizer(path)
    try:
        import torch
        from transformers import MarianMTModel

        quiet_transformers()
        model = MarianMTModel.from_pretrained(
            path,
            local_files_only=True,
            trust_remote_code=False,
            use_safetensors=None if allow_pickle else True,
            dtype=getattr(torch, dtype),
        )
    except (OSError, ValueError, KeyError, RuntimeError) as err:
        raise ModelError(f"cannot load a MarianMT model from {path}: {err}".splitlines()[0]) from err
    model.to(device)
    model.eval()
    return tokenizer, model
