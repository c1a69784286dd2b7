"""--dtype: bfloat16 where the hardware does it natively (a CUDA GPU, a CPU with AMX or AVX512-BF16),
float32 elsewhere; both branches of `auto`, whatever CPU runs the tests, and both models in each format."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.fakes import FakeGenerator

from pipeline.errors import UnknownChoiceError, UsageError
from pipeline.models import runtime
from pipeline.models.locate import locate_model
from pipeline.models.runtime import cpu_flags, resolve_dtype
from pipeline.stages.summarizer import LazySummarizer, SummarizerConfig
from pipeline.summarize.generators import GeneratorOptions, check_generator_options, create_generator
from pipeline.translate.backends.contract import BackendOptions
from pipeline.translate.backends.registry import backend_factory, backend_fingerprint, create_backend

XEON = "flags\t\t: fpu sse2 avx2 avx512f avx512_bf16 amx_bf16 amx_tile\n"
EPYC = "flags\t\t: fpu sse2 avx2 fma sha_ni\n"


@pytest.fixture
def cpu(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Set the CPU the code under test sees: its /proc/cpuinfo flags line."""

    def use(flags_line: str) -> None:
        cpuinfo = tmp_path / "cpuinfo"
        cpuinfo.write_text("processor\t: 0\nmodel name\t: a test CPU\n" + flags_line, encoding="utf-8")
        monkeypatch.setattr(runtime, "CPUINFO", cpuinfo)

    return use


def test_auto_is_bfloat16_only_where_it_is_native(cpu) -> None:
    cpu(XEON)
    assert resolve_dtype("auto", "cpu") == "bfloat16"
    cpu(EPYC)  # AVX2 only: bfloat16 would be emulated, slower than float32
    assert resolve_dtype("auto", "cpu") == "float32"
    assert resolve_dtype("auto", "cuda") == "bfloat16"
    assert resolve_dtype("float32", "cuda") == "float32" and resolve_dtype("bfloat16", "cpu") == "bfloat16"


def test_flags_are_read_from_cpuinfo_and_none_when_it_cannot_be(cpu, tmp_path: Path) -> None:
    cpu(XEON)
    assert {"amx_bf16", "avx512_bf16"} <= cpu_flags()
    assert cpu_flags(tmp_path / "absent") == frozenset()
    assert resolve_dtype("auto", "cpu", frozenset()) == "float32"  # unknown CPU: the safe format


def test_an_unknown_dtype_lists_the_valid_ones() -> None:
    with pytest.raises(UnknownChoiceError, match="auto, bfloat16, float32"):
        resolve_dtype("float16", "cpu")
    with pytest.raises(UsageError, match="--quantize int8 computes in float32"):
        check_generator_options(GeneratorOptions(quantize="int8", dtype="bfloat16"))


@pytest.mark.parametrize(("flags", "dtype"), [(XEON, "bfloat16"), (EPYC, "float32")])
def test_the_translator_runs_and_is_fingerprinted_in_the_resolved_format(
    cpu, translator_dir: Path, flags: str, dtype: str
) -> None:
    cpu(flags)
    options = BackendOptions(beams=1, device="cpu", threads=1)
    assert backend_fingerprint(backend_factory("torch"), options) == {"dtype": dtype}
    backend = create_backend("torch", locate_model(str(translator_dir)), options)
    assert str(next(backend.model.parameters()).dtype) == f"torch.{dtype}"
    [text] = backend.decode(backend.generate(backend.encode(["De dijk houdt het water tegen."]), 8))
    assert isinstance(text, str)


@pytest.mark.parametrize(("flags", "dtype"), [(XEON, "bfloat16"), (EPYC, "float32")])
def test_the_summarizer_runs_in_the_resolved_format(
    cpu, tiny_models_dir: Path, flags: str, dtype: str
) -> None:
    cpu(flags)
    generator = create_generator(
        locate_model(str(tiny_models_dir / "chat-summarizer")), GeneratorOptions(device="cpu", threads=1)
    )
    assert generator.dtype == dtype and str(next(generator.model.parameters()).dtype) == f"torch.{dtype}"


def summarizer(model: Path, **config: object) -> LazySummarizer:
    generator = FakeGenerator()
    return LazySummarizer(SummarizerConfig(str(model), device="cpu", **config), lambda s, o: generator)


@pytest.mark.parametrize(
    ("flags", "config", "group"),
    [
        (XEON, {}, 8),  # bfloat16 (AMX): a batch of 8 costs little more than one article
        (EPYC, {}, 1),  # float32 on 2 cores: batching gained nothing
        (EPYC, {"quantize": "int8"}, 4),
        (XEON, {"batch": 3}, 3),  # --summary-batch
    ],
)
def test_articles_are_summarized_together_where_it_pays(
    cpu, tmp_path: Path, flags: str, config: dict[str, object], group: int
) -> None:
    cpu(flags)
    (tmp_path / "config.json").write_text("{}")
    lazy = summarizer(tmp_path, **config)
    assert lazy.group_size == group
    assert lazy.fingerprint_fields()["summarizer_dtype"] == ("float32" if flags == EPYC else "bfloat16")


def test_backend_auto_is_ctranslate2_when_installed_else_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipeline.translate.backends import registry

    assert registry.resolve_backend("auto") == "ctranslate2"  # nlbrief[fast] is installed for the tests
    monkeypatch.setattr(registry.importlib.util, "find_spec", lambda name: None)
    assert registry.resolve_backend("auto") == "torch"
    assert registry.resolve_backend("torch") == "torch"
    with pytest.raises(UnknownChoiceError, match="ctranslate2, torch"):
        registry.resolve_backend("onnx")
