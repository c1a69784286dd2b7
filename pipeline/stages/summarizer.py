"""The summarizer as the stages see it: found early (resume checks load no model), loaded on first use,
with the settings that enter the fingerprint and the provenance, and how many articles go together."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pipeline.models.locate import DEFAULT_SUMMARIZER, ModelHandle, ModelSource
from pipeline.models.runtime import resolve_device
from pipeline.run.manifest import templates_digest
from pipeline.stages.lazy import LazyModel
from pipeline.summarize.generators import (
    DECODING,
    GeneratorOptions,
    TextGenerator,
    check_generator_options,
    create_generator,
    generator_dtype,
)
from pipeline.summarize.summarizer import Summarizer, SummarizeSettings, load_templates

# Articles summarized together with int8 weights on a CPU: about 2x the articles per minute of one at a time
# on the 0.5B shape (README, Speed), with a kill losing at most this many.
INT8_BATCH = 4

GeneratorFactory = Callable[[ModelSource, GeneratorOptions], TextGenerator]


@dataclass
class SummarizerConfig:
    model: str = DEFAULT_SUMMARIZER
    settings: SummarizeSettings = field(default_factory=SummarizeSettings)
    device: str = "auto"
    threads: int | None = None
    allow_pickle: bool = False
    quantize: str = "none"
    dtype: str = "auto"  # --dtype: auto (bfloat16 on a GPU or a CPU with native bf16), float32, bfloat16
    batch: int | None = None  # --summary-batch: articles summarized together; None: chosen (group_size)


class LazySummarizer:
    """Like LazyTranslator: located early for resume checks, loaded on first real use."""

    def __init__(self, config: SummarizerConfig, generator_factory: GeneratorFactory | None = None) -> None:
        self.config = config
        self.generator_factory = generator_factory or create_generator
        # Read once: the fingerprint and the summarizer use the same text; a broken prompt fails up front.
        self.templates = load_templates(config.settings.prompts_dir)
        self.model = ModelHandle(config.model, "--summarizer-model")
        self._summarizer = LazyModel(self.model, self._load)

    @property
    def loaded(self) -> bool:
        return self._summarizer.loaded

    @property
    def load_s(self) -> float:
        return self._summarizer.load_s

    def _load(self, source: ModelSource) -> Summarizer:
        generator = self.generator_factory(source, self._options())
        return Summarizer(generator, self.config.settings, self.templates)

    def _settings(self) -> dict[str, Any]:
        settings = self.config.settings
        return {
            "bullets": settings.bullets,
            "context_tokens": settings.context_tokens,
            "prompts": templates_digest(self.templates),
            "decoding": dict(DECODING),
        }

    def fingerprint_fields(self) -> dict[str, Any]:
        name, revision = self.model.identity()
        return {
            "summarizer": name,
            "summarizer_revision": revision,
            "quantize": self.config.quantize,
            "summarizer_dtype": self.dtype,
            **self._settings(),
        }

    @property
    def dtype(self) -> str:
        """--dtype as the model will run it here (resolving a device imports no torch on a CPU machine)."""
        return generator_dtype(self._options(), resolve_device(self.config.device))

    def provenance(self) -> dict[str, Any]:
        return {
            **self.model.provenance("summarizer_model"),
            "summarizer_settings": {**self._settings(), "dtype": self.dtype, "batch": self.group_size},
        }

    def _options(self) -> GeneratorOptions:
        config = self.config
        return GeneratorOptions(
            config.device, config.threads, config.allow_pickle, quantize=config.quantize, dtype=config.dtype
        )

    def check_options(self) -> None:
        """--device and --quantize, as a UsageError before any work."""
        check_generator_options(self._options())

    def require_model(self) -> None:
        """The model on disk (or downloaded now), before any work; loads nothing."""
        self._summarizer.require()

    @property
    def group_size(self) -> int:
        """How many articles are summarized together (--summary-batch), each group saved before the next.

        Chosen by what was measured (README, Speed): a GPU, and a CPU computing in bfloat16 (AMX), run a
        batch of 8 in little more than the time of one article; int8 weights gain about 2x from 4; in
        float32 a 2-core CPU gained nothing from batching, so there each article is saved once done."""
        if self.config.batch:
            return self.config.batch
        if self.config.quantize == "int8":
            return INT8_BATCH
        cuda = resolve_device(self.config.device) == "cuda"
        return self._options().batch_size if cuda or self.dtype == "bfloat16" else 1

    def get(self) -> Summarizer:
        return self._summarizer.get()
