"""LazyModel: found at once, loaded at the first get() and never again; a failed load is retried."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.runs import model_dir

from pipeline.errors import ModelError, ModelNotAvailable
from pipeline.models.locate import ModelHandle, ModelSource
from pipeline.stages.lazy import LazyModel


def test_the_model_is_loaded_on_the_first_get_only(tmp_path: Path) -> None:
    loads: list[Path] = []

    def load(source: ModelSource) -> str:
        loads.append(source.path)
        return "model"

    lazy = LazyModel(ModelHandle(model_dir(tmp_path), "--model"), load)
    lazy.require()
    assert not lazy.loaded and loads == [] and lazy.load_s == 0.0
    assert lazy.get() == lazy.get() == "model"
    assert lazy.loaded and loads == [tmp_path / "model"] and lazy.load_s > 0


def test_a_model_that_is_not_there_fails_require_and_loads_nothing(tmp_path: Path) -> None:
    lazy = LazyModel(ModelHandle(str(tmp_path / "nope"), "--model"), lambda source: pytest.fail("loaded"))
    with pytest.raises(ModelNotAvailable, match="--model"):
        lazy.require()


def test_a_load_that_fails_raises_each_time_it_is_asked(tmp_path: Path) -> None:
    attempts: list[int] = []

    def broken(source: ModelSource) -> str:
        attempts.append(1)
        raise ModelError("broken weights")

    lazy = LazyModel(ModelHandle(model_dir(tmp_path), "--model"), broken)
    for _ in range(2):
        with pytest.raises(ModelError, match="broken weights"):
            lazy.get()
    assert len(attempts) == 2 and not lazy.loaded
