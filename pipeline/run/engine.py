"""Where a batch run's waves are worked: the engine under BatchRun.

BatchRun owns everything a run promises (discovery, the skip of what is done, atomic writes, the
manifest, the lock, Ctrl-C); an engine only turns waves of documents into outputs. The local engine
runs each wave in this process, as the waves come; the ray engine (pipeline/engines/) sends them all to
a Ray cluster, where the stage's steps run in actor pools. Both hand back the same outputs.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from pipeline.ingest.document import Document
from pipeline.run.contracts import Progress, Stage, StageOutput

# (wave number, the document's index in its wave, its output), in the order they are finished.
Finished = tuple[int, int, StageOutput]
# An engine's outputs; closed early when the run stops, so that the engine can put its workers away.
Finishing = Generator[Finished, None, None]


class WaveEngine(Protocol):
    name: str

    def run(
        self, stage: Stage, waves: Iterable[list[Document]], progress: Progress, summarized: Progress
    ) -> Finishing:
        """Each document's output as soon as it is finished. Raises what the stage raises: Interrupted,
        a UsageError, or another NlbriefError when a model cannot be had (the run keeps what it got)."""


class LocalEngine:
    """One wave after the other in this process, each taken from ``waves`` only when the one before is
    done: a run reads its inputs as it goes, and a kill loses at most the wave in hand."""

    name = "local"

    def run(
        self, stage: Stage, waves: Iterable[list[Document]], progress: Progress, summarized: Progress
    ) -> Finishing:
        for number, docs in enumerate(waves):
            for index, output in stage.run_wave(docs, progress, summarized):
                yield number, index, output


@dataclass(frozen=True)
class Step:
    """One part of a wave's work, done where its model is (an actor of the ray engine): the first step
    takes the wave's documents, each later one what the step before gave, and the last gives the
    wave's (index, output) pairs. ``name`` is the model it loads (translate, summarize), or what it does
    without one (segment): ``model`` False, it runs in tasks, apart from the models' actors."""

    name: str
    run: Callable[[Any], Any]
    model: bool = True
