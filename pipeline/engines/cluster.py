"""What the ray engine is told of its cluster: the options --ray-* give it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class ClusterOptions:
    """--ray-address, --ray-actors, --ray-actor-cpus, --ray-actor-gpus (ray engine only)."""

    address: str | None = None  # None: start a Ray of this machine's own for the run
    actors: int | None = None  # per model; None: the cluster's CPUs shared out (ray_driver.pool_sizes)
    actor_cpus: float = 1.0
    actor_gpus: float = 0.0
