"""The translation backends by name: ``BACKENDS``, a dict of factories, so a new engine is one entry,
not another if/elif.

Each engine's module is imported when it is first used: ``nlbrief --help`` reads the names here, and
ctranslate2 is an optional extra (nlbrief[fast]) that must not slow down startup.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import Protocol

from pipeline.models.locate import ModelSource
from pipeline.registry import lookup
from pipeline.translate.backends.contract import BackendFactory, BackendOptions, TranslationBackend


class _Engine(Protocol):
    """A backend class with the option hooks of a registered factory (see contract.py)."""

    def __call__(self, source: ModelSource, options: BackendOptions) -> TranslationBackend: ...

    def check_options(self, options: BackendOptions) -> None: ...

    def fingerprint_fields(self, options: BackendOptions) -> dict[str, str]: ...


class _Lazy:
    """A registered backend whose module is imported on first use."""

    def __init__(self, load: Callable[[], _Engine]) -> None:
        self._load = load

    def __call__(self, source: ModelSource, options: BackendOptions) -> TranslationBackend:
        return self._load()(source, options)

    def check_options(self, options: BackendOptions) -> None:
        self._load().check_options(options)

    def fingerprint_fields(self, options: BackendOptions) -> dict[str, str]:
        return self._load().fingerprint_fields(options)


def _torch() -> _Engine:
    from pipeline.translate.backends.torch_marian import TorchMarianBackend

    return TorchMarianBackend


def _ctranslate2() -> _Engine:
    from pipeline.translate.backends.ct2_marian import CT2MarianBackend

    return CT2MarianBackend


BACKENDS: dict[str, BackendFactory] = {
    "torch": _Lazy(_torch),
    "ctranslate2": _Lazy(_ctranslate2),
}


def check_backend_options(factory: BackendFactory, options: BackendOptions) -> None:
    """Option values the backend cannot run with, as a UsageError before any work (a test's fake
    factory has nothing to check)."""
    check = getattr(factory, "check_options", None)
    if check is not None:
        check(options)


def backend_fingerprint(factory: BackendFactory, options: BackendOptions) -> dict[str, str]:
    """The options that change the backend's output, resolved as the backend will run them (the
    ctranslate2 compute type ``auto`` as int8 on a CPU, int8_float16 on a GPU), for the translation
    fingerprint and the memory namespace; a test's fake factory has none."""
    fields = getattr(factory, "fingerprint_fields", None)
    return {} if fields is None else dict(fields(options))


# `--backend auto`: the fastest engine this installation has. CTranslate2 (int8, a worker per core) was
# 2 to 3x the torch path's sentences per second on both CPUs measured (README, Speed); it is the
# optional extra nlbrief[fast], so without it auto is torch.
AUTO = "auto"
BACKEND_CHOICES = (AUTO, *BACKENDS)


def resolve_backend(name: str) -> str:
    """The engine a --backend value names: ``auto`` is ctranslate2 when it is installed, else torch."""
    if name != AUTO:
        lookup(BACKENDS, name, what="backend")  # an unknown name lists the valid ones
        return name
    return "ctranslate2" if importlib.util.find_spec("ctranslate2") is not None else "torch"


def backend_factory(name: str) -> BackendFactory:
    return lookup(BACKENDS, resolve_backend(name), what="backend")


def create_backend(name: str, source: ModelSource, options: BackendOptions) -> TranslationBackend:
    return backend_factory(name)(source, options)
