"""The engines by name (--engine): a dict of factories; the ray engine's code is imported only when used."""

from __future__ import annotations

from collections.abc import Callable

from pipeline.engines.cluster import ClusterOptions
from pipeline.registry import lookup
from pipeline.run.engine import LocalEngine, WaveEngine


def _ray(options: ClusterOptions) -> WaveEngine:
    from pipeline.engines.ray_driver import RayEngine

    return RayEngine(options)


ENGINES: dict[str, Callable[[ClusterOptions], WaveEngine]] = {
    "local": lambda options: LocalEngine(),
    "ray": _ray,
}


ENGINE_CHOICES = tuple(ENGINES)


def build_engine(name: str, options: ClusterOptions) -> WaveEngine:
    """The engine ``name`` (--engine); an unknown name is a usage error that lists the valid ones."""
    return lookup(ENGINES, name, what="--engine")(options)
