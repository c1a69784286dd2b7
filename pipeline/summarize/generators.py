"""Text generators for the summarizer: one small interface, two model families behind it.

The family comes from the model's own config.json: decoder-only models are driven through
their chat template (``AutoModelForCausalLM``), encoder-decoder models get the prompt as
plain text (``AutoModelForSeq2SeqLM``), except summary-only ones (BART-CNN style), which
get the raw article and return a summary.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, cast

from pipeline.errors import ModelError, UnknownChoiceError, UsageError
from pipeline.models.locate import (
    ModelSource,
    check_model_folder,
    check_tokenizer_files,
    model_kind,
    read_config,
)
from pipeline.models.runtime import (
    check_device,
    check_dtype,
    quiet_transformers,
    resolve_device,
    resolve_dtype,
)
from pipeline.registry import lookup
from pipeline.run.interrupt import checkpoint
from pipeline.summarize.prompt_ids import chat_ids, keep_special_pieces_out_of_text, text_ids
from pipeline.summarize.templates import RenderedPrompt

# Encoder-decoder families trained to summarise raw text rather than follow instructions.
SUMMARY_ONLY_TYPES = frozenset({"bart", "pegasus", "pegasus_x", "led", "bigbird_pegasus"})
# Sequence-to-sequence translation models: they would load as summarizers and answer with a translation.
TRANSLATION_TYPES = frozenset({"marian", "fsmt", "m2m_100", "nllb-moe"})
OPTION = "--summarizer-model"
# The decoding nlbrief chooses for every summary: greedy, with no penalty and no length or n-gram rule
# (the answer bounds are per prompt). Nothing else about decoding comes from the model's
# generation_config.json, which would bring Qwen2.5's repetition_penalty 1.1 (every token of the
# article penalised, so names and numbers are not repeated as written) or BART-CNN's 4 beams,
# min_length 56, length_penalty 2.0 and no_repeat_ngram_size 3. Recorded in each record's provenance
# and fingerprint, so that a change of them redoes the records. The prompt is read 512 tokens at a
# time (chunked prefill): on the Qwen2.5-0.5B shape a group of 8 articles of up to 900 tokens peaked
# at 1.69 GB read 256 at a time and 2.07 GB whole, but took 15% longer at 256; in bfloat16 it may
# change a word, so it is recorded too.
DECODING: dict[str, bool | int | float] = {
    "do_sample": False,
    "num_beams": 1,
    "repetition_penalty": 1.0,
    "no_repeat_ngram_size": 0,
    "length_penalty": 1.0,
    "min_length": 0,
    "prefill_chunk_size": 512,
}
# What the model's generation_config keeps: the ids that say how its sequences start, end and are
# padded, which are facts of the model, not decoding choices.
TOKEN_IDS = (
    "bos_token_id",
    "eos_token_id",
    "pad_token_id",
    "decoder_start_token_id",
    "forced_bos_token_id",
    "forced_eos_token_id",
)


class Family(StrEnum):
    """How a model is driven: a decoder-only chat model, or an encoder-decoder (sequence to sequence)."""

    CHAT = "chat"
    SEQ2SEQ = "seq2seq"


class TextGenerator(Protocol):
    family: Family
    summary_only: bool
    context_tokens: int

    def count_tokens(self, texts: Sequence[str]) -> list[int]: ...

    def prompt_tokens(self, prompts: Sequence[RenderedPrompt]) -> list[int]:
        """Tokens each prompt takes as fed to the model (chat markup included)."""

    def generate(self, prompts: Sequence[RenderedPrompt], max_new_tokens: int) -> list[str]:
        """One completion per prompt, greedy, at most ``max_new_tokens`` new tokens each."""


@dataclass(frozen=True)
class GeneratorOptions:
    device: str = "auto"
    threads: int | None = None
    allow_pickle: bool = False
    batch_size: int = 8
    quantize: str = "none"  # "int8": dynamic int8 quantization of the linear layers (CPU only)
    dtype: str = "auto"  # auto (bfloat16 on a GPU or a CPU with native bf16), float32, bfloat16


def detect_family(folder: Path) -> tuple[Family, bool]:
    """(family, summary_only) read from config.json, without loading weights."""
    config = read_config(folder, option=OPTION)
    model_type = str(config.get("model_type", ""))
    if model_type in TRANSLATION_TYPES:
        raise ModelError(
            f"{folder} holds {model_kind(config)}, a translation model, not a summarizer; pass it as "
            "--translator-model, and --summarizer-model with e.g. Qwen/Qwen2.5-0.5B-Instruct"
        )
    architectures = [str(a) for a in cast("list[object]", config.get("architectures") or [])]
    if config.get("is_encoder_decoder") or any(a.endswith("ForConditionalGeneration") for a in architectures):
        return Family.SEQ2SEQ, model_type in SUMMARY_ONLY_TYPES
    if any(a.endswith("ForCausalLM") for a in architectures):
        return Family.CHAT, False
    raise ModelError(
        f"{folder} holds a {model_type or 'model'} ({', '.join(architectures) or 'no architectures'}), "
        "which is neither a chat (causal LM) nor a sequence-to-sequence model; pass --summarizer-model "
        "with e.g. Qwen/Qwen2.5-0.5B-Instruct or google/flan-t5-large"
    )


def _context(tokenizer: object, config: object) -> int:
    limits = [
        getattr(tokenizer, "model_max_length", None),
        getattr(config, "max_position_embeddings", None),
        getattr(config, "n_positions", None),
    ]
    sane = [int(v) for v in limits if v and int(v) < 1_000_000]
    return min(sane) if sane else 512


QUANTIZE = ("none", "int8")
INT8_CPU_ONLY = "--quantize int8 runs on the CPU; on a GPU the model already runs in 16-bit"
INT8_FLOAT32 = "--quantize int8 computes in float32; leave --dtype out (or pass --dtype float32) with it"


def check_generator_options(options: GeneratorOptions) -> None:
    """--quantize, --dtype and --device, as a UsageError before any work (torch is imported only for cuda)."""
    if options.quantize not in QUANTIZE:
        raise UnknownChoiceError("quantization", options.quantize, list(QUANTIZE))
    check_device(options.device)
    check_dtype(options.dtype)
    if options.quantize == "int8" and options.device == "cuda":
        raise UsageError(INT8_CPU_ONLY)
    if options.quantize == "int8" and options.dtype == "bfloat16":
        raise UsageError(INT8_FLOAT32)


def generator_dtype(options: GeneratorOptions, device: str) -> str:
    """The number format the summarizer's weights run in on ``device``: int8 weights compute in float32."""
    if options.quantize == "int8":
        return "float32"
    return resolve_dtype(options.dtype, device)


@functools.cache
def _load(
    path: str, family: Family, device: str, allow_pickle: bool, quantize: str = "none", dtype: str = "float32"
) -> tuple[Any, Any]:
    """One load per process, shared by every summarizer of a run."""
    import torch
    from transformers import AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer

    quiet_transformers()
    model_class = AutoModelForCausalLM if family == Family.CHAT else AutoModelForSeq2SeqLM
    _check_native_type(Path(path))
    try:
        tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True, trust_remote_code=False)
        model = model_class.from_pretrained(
            path,
            local_files_only=True,
            trust_remote_code=False,
            use_safetensors=None if allow_pickle else True,
            # --dtype, resolved: bfloat16 only where the hardware does it natively (runtime.resolve_dtype)
            dtype=getattr(torch, dtype),
        )
    except (OSError, ValueError, KeyError, RuntimeError) as err:
        raise ModelError(f"cannot load a {family} model from {path}: {err}".splitlines()[0]) from err
    keep_special_pieces_out_of_text(tokenizer)
    model.to(device)
    model.eval()
    if quantize == "int8":
        model = _int8(model, device)
    # generate() fills every setting a call leaves unset from the model's own generation_config: with
    # only the token ids left there, what decodes is DECODING and transformers' neutral defaults.
    model.generation_config = _token_ids_only(model)
    return tokenizer, model


def _token_ids_only(model: Any) -> Any:
    """A fresh GenerationConfig of the model's TOKEN_IDS (from its generation_config, else its config)."""
    from transformers import GenerationConfig

    ids = {}
    for name in TOKEN_IDS:
        value = getattr(model.generation_config, name, None)
        if value is None:
            value = getattr(model.config, name, None)
        if value is not None:
            ids[name] = value
    return GenerationConfig(**ids)


def _check_native_type(folder: Path) -> None:
    """Refuse a model type transformers does not ship; such a model would need its own code to load.

    nlbrief never passes trust_remote_code=True, so that code would not run anyway; this says so
    plainly instead of transformers' "contains custom code" or "does not recognize this architecture".
    """
    from transformers.models.auto.configuration_auto import CONFIG_MAPPING

    config = read_config(folder, option=OPTION)
    model_type = config.get("model_type")
    if isinstance(model_type, str) and model_type in CONFIG_MAPPING:
        return  # built-in classes are used, whatever auto_map says
    auto_map = config.get("auto_map")
    if isinstance(auto_map, dict) and auto_map:
        code = ", ".join(sorted(str(value) for value in auto_map.values()))
        raise ModelError(
            f"{folder} needs its own Python code to load (config.json auto_map: {code}), and nlbrief "
            f"never runs code that comes with a model; pass {OPTION} with a model of a type transformers "
            f"supports itself (model_type {model_type!r} is not one)"
        )
    raise ModelError(
        f"{folder}: config.json model_type {model_type!r} is not a model type this transformers knows; "
        f"pass {OPTION} with e.g. Qwen/Qwen2.5-0.5B-Instruct or google/flan-t5-large"
    )


def _int8(model: Any, device: str) -> Any:
    """Dynamic int8 weights for every Linear layer: about half the memory traffic per token on a CPU."""
    import warnings

    import torch

    if device != "cpu":
        raise UsageError(INT8_CPU_ONLY)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.ao.quantization announces its own deprecation on every call
        return torch.ao.quantization.quantize_dynamic(
            model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True
        )


class _HFGenerator:
    family: Family

    def __init__(self, source: ModelSource, options: GeneratorOptions, summary_only: bool = False) -> None:
        # The folder is checked before torch is imported: a wrong folder fails at once, and clearly.
        check_model_folder(source.path, allow_pickle=options.allow_pickle, option=OPTION)
        check_tokenizer_files(source.path)
        import torch

        if options.threads:
            torch.set_num_threads(options.threads)
        self.device = resolve_device(options.device)
        self.summary_only = summary_only
        self.batch_size = options.batch_size
        check_generator_options(options)
        self.dtype = generator_dtype(options, self.device)
        self.tokenizer, self.model = _load(
            str(source.path), self.family, self.device, options.allow_pickle, options.quantize, self.dtype
        )
        self.context_tokens = _context(self.tokenizer, self.model.config)

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        return [len(ids) for ids in text_ids(self.tokenizer, texts, add_special_tokens=True)]

    def prompt_tokens(self, prompts: Sequence[RenderedPrompt]) -> list[int]:
        return [len(ids) for ids in self.encode(prompts)]

    def encode(self, prompts: Sequence[RenderedPrompt]) -> list[list[int]]:
        """The token ids each prompt is fed as; its text (the article's) is never read as special tokens."""
        raise NotImplementedError

    def generate(self, prompts: Sequence[RenderedPrompt], max_new_tokens: int) -> list[str]:
        """Batched by length (longest first), results in the order given."""
        encoded = self.encode(prompts)
        order = sorted(range(len(encoded)), key=lambda i: -len(encoded[i]))
        results: dict[int, str] = {}
        for start in range(0, len(order), self.batch_size):
            checkpoint()  # Ctrl-C: stop between batches; a wave cut short is redone on the rerun
            chunk = order[start : start + self.batch_size]
            for index, text in zip(
                chunk, self._generate_batch([encoded[i] for i in chunk], max_new_tokens), strict=True
            ):
                results[index] = text.strip()
        return [results[i] for i in range(len(encoded))]

    def _generate_batch(self, rows: list[list[int]], max_new_tokens: int) -> list[str]:
        import torch

        # A decoder-only model continues the last token of each row, so its rows are padded on the left.
        left = self.family == Family.CHAT
        width, pad = max(len(ids) for ids in rows), self.tokenizer.pad_token_id
        input_ids = torch.full((len(rows), width), pad, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for row, ids in enumerate(rows):
            span = slice(width - len(ids), width) if left else slice(0, len(ids))
            input_ids[row, span] = torch.tensor(ids, dtype=torch.long)
            mask[row, span] = 1
        with torch.inference_mode():
            out = self.model.generate(
                input_ids=input_ids.to(self.device),
                attention_mask=mask.to(self.device),
                max_new_tokens=max_new_tokens,
                pad_token_id=pad,
                **DECODING,
            )
        answers = out[:, width:] if left else out  # a chat model's output starts with its prompt
        decoded: list[str] = self.tokenizer.batch_decode(answers, skip_special_tokens=True)
        return decoded


class ChatGenerator(_HFGenerator):
    """Decoder-only chat models: the tokenizer's chat template, left padding, new tokens only."""

    family = Family.CHAT

    def __init__(self, source: ModelSource, options: GeneratorOptions, summary_only: bool = False) -> None:
        super().__init__(source, options, summary_only)
        if not getattr(self.tokenizer, "chat_template", None):
            raise ModelError(
                f"{source.path} has no chat template, so it is not an instruction-tuned chat model; "
                "pass --summarizer-model with an -Instruct/-Chat model"
            )
        self.tokenizer.padding_side = "left"
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token

    def encode(self, prompts: Sequence[RenderedPrompt]) -> list[list[int]]:
        return [chat_ids(self.tokenizer, prompt) for prompt in prompts]

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        # The chat template holds the special tokens; the texts go inside it.
        return [len(ids) for ids in text_ids(self.tokenizer, texts, add_special_tokens=False)]


class Seq2SeqGenerator(_HFGenerator):
    """Encoder-decoder models: instruction models get system + prompt as text; summary-only ones the text."""

    family = Family.SEQ2SEQ

    def _as_text(self, prompt: RenderedPrompt) -> str:
        if self.summary_only or not prompt.system:
            return prompt.user
        return f"{prompt.system}\n\n{prompt.user}"

    def encode(self, prompts: Sequence[RenderedPrompt]) -> list[list[int]]:
        return text_ids(self.tokenizer, [self._as_text(p) for p in prompts], add_special_tokens=True)


GeneratorFactory = Callable[[ModelSource, GeneratorOptions, bool], TextGenerator]

FAMILIES: dict[str, GeneratorFactory] = {
    Family.CHAT: ChatGenerator,
    Family.SEQ2SEQ: Seq2SeqGenerator,
}


def create_generator(source: ModelSource, options: GeneratorOptions) -> TextGenerator:
    """The generator for the family the model's config declares."""
    family, summary_only = detect_family(source.path)
    return lookup(FAMILIES, family, what="model family")(source, options, summary_only)
