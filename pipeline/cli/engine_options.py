"""The options of where translate and process run: this process, or a Ray cluster (--engine ray)."""

from __future__ import annotations

from typing import Annotated

import typer

from pipeline.cli.options import _parameter
from pipeline.engines.cluster import ClusterOptions
from pipeline.engines.registry import ENGINE_CHOICES

EngineOption = Annotated[
    str,
    typer.Option(
        metavar="|".join(ENGINE_CHOICES),
        help="Where the models run: in this process, or on a Ray cluster (needs nlbrief[ray]); "
        "the outputs, manifest and translation memory are the same.",
    ),
]
RayAddressOption = Annotated[
    str | None,
    typer.Option(
        metavar="ADDRESS",
        show_default="start a Ray of this machine for the run",
        help="--engine ray: the cluster to use, `auto` (the one `ray start` began here) or HOST:PORT.",
    ),
]
RayActorsOption = Annotated[
    int | None,
    typer.Option(
        min=1,
        metavar="N",
        show_default="the cluster's CPUs (or GPUs) shared evenly between the models",
        help="--engine ray: actors per model; each loads its model once.",
    ),
]
RayActorCpusOption = Annotated[
    float, typer.Option(min=0.01, metavar="N", help="--engine ray: CPUs each actor reserves.")
]
RayActorGpusOption = Annotated[
    float, typer.Option(min=0, metavar="N", help="--engine ray: GPUs each actor reserves (e.g. 1 or 0.5).")
]

ENGINE = [
    _parameter("engine", EngineOption, "local"),
    _parameter("ray_address", RayAddressOption, ClusterOptions.address),
    _parameter("ray_actors", RayActorsOption, ClusterOptions.actors),
    _parameter("ray_actor_cpus", RayActorCpusOption, ClusterOptions.actor_cpus),
    _parameter("ray_actor_gpus", RayActorGpusOption, ClusterOptions.actor_gpus),
]
