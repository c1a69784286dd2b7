"""A model found early and loaded late: the one pattern under the translator and the summarizer.

A run must be able to say what it would do (resume checks, fingerprints, a missing model as an
error before any work) without loading a model, and must load each model at most once, and only
when a wave really has work for it: a rerun with nothing new loads nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Generic, TypeVar

from pipeline.models.locate import ModelHandle, ModelSource

T = TypeVar("T")


class LazyModel(Generic[T]):
    """``model`` looked up at once; ``load`` run on it at the first ``get()``, once per process.

    Errors are the model code's own: ``require()`` raises ModelError for a model that is neither on
    disk nor downloadable; ``get()`` raises whatever fetching or loading raises (ModelError for a
    broken folder, UsageError for options the backend cannot run with), each time it is asked again.
    """

    def __init__(self, model: ModelHandle, load: Callable[[ModelSource], T]) -> None:
        self.model = model
        self._load = load
        self._value: T | None = None
        self.load_s = 0.0  # how long the load took, for the records' timings; 0.0 until then

    @property
    def loaded(self) -> bool:
        return self._value is not None

    def require(self) -> None:
        """The model on disk (or downloaded now), before any work; loads nothing."""
        self.model.require()

    def get(self) -> T:
        if self._value is None:
            begin = time.perf_counter()
            self._value = self._load(self.model.fetch())
            self.load_s = time.perf_counter() - begin
        return self._value
