"""--engine ray: a run's waves worked on a Ray cluster, with the outputs the local engine writes.

The driver (this process) keeps everything a run promises: BatchRun discovers, skips what is done,
reads and checks the inputs, forms the waves, writes each output atomically and its manifest line.
Only the waves still to do go to the cluster, so a rerun sends nothing and starts no Ray at all.

On the cluster, a Ray Data pipeline: one row a wave, then one ``map_batches`` per step of the stage
(translate; then summarize for process), each step in a pool of actors of its own (``StepWorker``: a
callable class, so each actor loads its model once). A wave stays whole from step to step, so its
sentences share batches exactly as in a local run, and the outputs are the same bytes. The
translation memory stays in its file on the driver's machine, kept by one actor there
(``MemoryKeeper``) that every translation actor asks: the file ends as a local run would leave it.

Faults: Ray Data restarts an actor that dies and runs its wave again (``max_restarts`` and
``max_task_retries`` are -1 for actor pools); a wave is a pure function of its documents, so the outputs
are the same. A driver killed mid-run has saved every output that came back; the rerun resumes.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import sys
from collections.abc import Iterable, Mapping
from types import ModuleType
from typing import Any, Protocol, runtime_checkable

from pipeline.engines.cluster import ClusterOptions
from pipeline.engines.ray_workers import MemoryKeeper, StepWorker, pack, run_task, unpack
from pipeline.errors import ModelError, NlbriefError, UsageError
from pipeline.ingest.document import Document
from pipeline.run.contracts import Progress, Stage
from pipeline.run.engine import Finishing, Step
from pipeline.run.interrupt import checkpoint
from pipeline.stages.translate import MemoryHome
from pipeline.translate.translator import SentenceMemory

RAY_EXTRA_HINT = "--engine ray needs Ray: pip install 'nlbrief[ray]'"
# Ray reports usage statistics unless told not to; nlbrief tells it, unless the user set it otherwise.
USAGE_STATS_ENV = "RAY_USAGE_STATS_ENABLED"


@runtime_checkable
class ClusterStage(Protocol):
    """What the ray engine asks of a stage besides the Stage protocol (translate and process have it)."""

    def steps(self) -> tuple[Step, ...]: ...

    def memory_home(self) -> MemoryHome | None: ...

    def share_memory(self, memory: SentenceMemory) -> None: ...


def check_ray_installed() -> None:
    """Before any work, without importing Ray (slow): the extra is there."""
    if importlib.util.find_spec("ray") is None:
        raise UsageError(RAY_EXTRA_HINT)


def import_ray() -> ModuleType:
    try:
        import ray
        import ray.data
    except ImportError as err:
        raise UsageError(RAY_EXTRA_HINT) from err
    module: ModuleType = ray
    return module


def pool_sizes(resources: Mapping[str, float], steps: int, options: ClusterOptions) -> int:
    """Actors per step: --ray-actors, else the cluster's CPUs (or GPUs, for GPU actors) shared out
    evenly between the steps' pools, at least one each."""
    if options.actors:
        return options.actors
    if options.actor_gpus > 0:
        return max(1, int(resources.get("GPU", 0) // (options.actor_gpus * steps)))
    return max(1, int(resources.get("CPU", 1) // (options.actor_cpus * steps)))


class RayEngine:
    name = "ray"

    def __init__(self, options: ClusterOptions) -> None:
        check_ray_installed()
        self.options = options

    def run(
        self, stage: Stage, waves: Iterable[list[Document]], progress: Progress, summarized: Progress
    ) -> Finishing:
        if not isinstance(stage, ClusterStage):
            raise UsageError(f"--engine ray runs translate and process, not {stage.command}")
        work = list(waves)  # the waves still to do: read and checked here, before the cluster is asked
        if not work:
            return
        ray = import_ray()
        # Ray prints what its workers report (an actor that died, and why) on stdout, which is the
        # command's own (--json, a filter run): to stderr with the other messages while Ray runs.
        with contextlib.redirect_stdout(sys.stderr):
            self._connect(ray)
            try:
                yield from self._pipeline(ray, stage, work)
            finally:
                ray.shutdown()  # a Ray started for this run stops; a cluster given by address stays

    def _connect(self, ray: ModuleType) -> None:
        os.environ.setdefault(USAGE_STATS_ENV, "0")
        # Ray's own notes (its token authentication, Ray Data's plans and progress bars, the C++ core's
        # warnings) would bury nlbrief's messages; what fails the run is raised and reported anyway.
        # (The C++ core says once that it was told so; a line of its own, not one per actor saying E.)
        os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")
        for name in ("ray", "ray.data"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
        address = self.options.address
        # Starting a Ray takes settings an existing cluster already has (and refuses to be given).
        start = {"include_dashboard": False} if address is None else {}
        try:
            ray.init(address=address, logging_level=logging.ERROR, log_to_driver=False, **start)
        except (ConnectionError, ValueError, RuntimeError) as err:
            where = f"the Ray cluster at {address}" if address else "a Ray of this machine"
            raise UsageError(
                f"cannot start or reach {where} ({(str(err).splitlines() or [''])[0][:200]}); fix: start "
                "one with `ray start --head` and pass --ray-address auto, or leave --ray-address out"
            ) from err

    def _pipeline(self, ray: ModuleType, stage: ClusterStage, work: list[list[Document]]) -> Finishing:
        from ray.data import ActorPoolStrategy, DataContext

        context = DataContext.get_current()
        context.enable_progress_bars = False  # nlbrief's own progress is the one shown
        steps = stage.steps()
        home = stage.memory_home()
        keeper = self._keeper(ray, home) if home is not None else None
        # No more actors than waves: an actor without a wave would load its model for nothing.
        models = sum(step.model for step in steps)
        size = min(len(work), pool_sizes(ray.cluster_resources(), models, self.options))
        rows = [{"wave": number, "payload": pack(docs)} for number, docs in enumerate(work)]
        dataset = ray.data.from_items(rows, override_num_blocks=len(rows))
        for step in steps:
            if not step.model:
                # Light work (splitting into sentences): a task a wave, holding no CPU the models' actors
                # hold, so that it never waits for them.
                dataset = dataset.map_batches(
                    run_task, fn_kwargs={"stage": stage, "step": step.name}, batch_size=1,
                    batch_format="pyarrow", num_cpus=0,
                )  # fmt: skip
                continue
            dataset = dataset.map_batches(
                StepWorker,
                fn_constructor_kwargs={"stage": stage, "step": step.name, "memory": keeper},
                batch_size=1,  # a wave is a row, and stays whole: its sentences share batches as locally
                batch_format="pyarrow",
                compute=ActorPoolStrategy(size=size),
                num_cpus=self.options.actor_cpus,
                num_gpus=self.options.actor_gpus,
            )
        try:
            for row in dataset.iter_rows():
                for index, output in unpack(row["payload"]):
                    yield row["wave"], index, output
                checkpoint()  # Ctrl-C: the waves that came back are saved; the cluster is let go
        except ray.exceptions.RayError as err:
            raise _worker_error(err) from err

    @staticmethod
    def _keeper(ray: ModuleType, home: MemoryHome) -> Any:
        """The memory's keeper, on this (the driver's) node: the file is where a local run has it."""
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        here = NodeAffinitySchedulingStrategy(node_id=ray.get_runtime_context().get_node_id(), soft=False)
        return ray.remote(num_cpus=0)(MemoryKeeper).options(scheduling_strategy=here).remote(home)


def _worker_error(err: BaseException) -> NlbriefError:
    """What Ray raised (an actor that kept dying, a cluster that went away) as a ModelError with Ray's
    first line: the run keeps what came back, and a rerun resumes."""
    said = (str(err).strip().splitlines() or [type(err).__name__])[0][:300]
    return ModelError(f"the Ray cluster failed the run ({said}); rerun to resume where it stopped")
