"""What runs on the workers of a Ray cluster: a stage's step in an actor of Ray Data, and the keeper of
the translation memory, with the memory as the translator sees it there.

Waves travel pickled, a row each ({"wave": n, "payload": bytes}): Ray Data's columns hold bytes as
they are, and the documents, translations and outputs stay nlbrief's own classes on both sides. A
step that raises one of nlbrief's errors (a model that cannot be had) hands it on in the payload: Ray
would pass on only its text, and the driver must tell a usage error (exit 2) from a model's (exit 3).
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.errors import ModelError, NlbriefError, UsageError
from pipeline.stages.translate import MemoryHome
from pipeline.translate.results import Remembered


class StepWorker:
    """A callable class for ``map_batches``: Ray Data makes one per actor, so that each actor unpickles
    the stage and loads the step's model once, then works wave after wave."""

    def __init__(self, stage: Any, step: str, memory: Any = None) -> None:
        if memory is not None:
            stage.share_memory(RemoteMemory(memory))
        self.run = {s.name: s.run for s in stage.steps()}[step]

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        waves = batch.column("wave").to_pylist()
        payloads = [self._step(payload) for payload in batch.column("payload").to_pylist()]
        return pa.table(
            {"wave": pa.array(waves, pa.int64()), "payload": pa.array(payloads, pa.large_binary())}
        )

    def _step(self, payload: bytes) -> bytes:
        kind, value = pickle.loads(payload)
        if kind == "ok":
            try:
                value = self.run(value)
            except NlbriefError as err:
                kind, value = "error", (type(err).__name__, str(err))
        return pickle.dumps((kind, value), protocol=5)


def pack(state: object) -> bytes:
    """A wave's first payload: its documents."""
    return pickle.dumps(("ok", state), protocol=5)


def unpack(payload: bytes) -> Any:
    """A wave's last payload: its (index, output) pairs, or the error a step raised, raised again."""
    kind, value = pickle.loads(payload)
    if kind == "ok":
        return value
    name, message = value
    raise (UsageError if name == UsageError.__name__ else ModelError)(message)


def run_task(batch: Any, stage: Any, step: str) -> Any:
    """A step without a model (segmenting), as a Ray task: nothing to keep between waves."""
    return StepWorker(stage, step)(batch)


class MemoryKeeper:
    """The one owner of the translation memory's file, an actor on the driver's node: every translation
    actor looks sentences up and stores them there, so the file ends as a local run would leave it."""

    def __init__(self, home: MemoryHome) -> None:
        self.memory = home.open()

    def get(self, sentences: list[str]) -> dict[str, Remembered]:
        return self.memory.get(sentences)

    def put(self, entries: dict[str, Remembered]) -> None:
        self.memory.put(entries)


class RemoteMemory:
    """The translator's SentenceMemory on a worker: each call waits for the keeper, so that a sentence
    stored before it is looked up again is found, as in one process."""

    def __init__(self, keeper: Any) -> None:
        self.keeper = keeper

    def get(self, sentences: Sequence[str]) -> dict[str, Remembered]:
        import ray

        found: dict[str, Remembered] = ray.get(self.keeper.get.remote(list(sentences)))
        return found

    def put(self, entries: Mapping[str, Remembered]) -> None:
        import ray

        ray.get(self.keeper.put.remote(dict(entries)))
