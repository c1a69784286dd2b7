"""The engines by name, and how the ray engine sizes its actor pools (no Ray started here)."""

from __future__ import annotations

import pytest

from pipeline.engines.cluster import ClusterOptions
from pipeline.engines.ray_driver import pool_sizes
from pipeline.engines.registry import ENGINE_CHOICES, build_engine
from pipeline.errors import UnknownChoiceError
from pipeline.run.engine import LocalEngine


def test_an_unknown_engine_lists_the_valid_ones() -> None:
    with pytest.raises(UnknownChoiceError) as raised:
        build_engine("spark", ClusterOptions())
    assert str(raised.value) == "unknown --engine 'spark'; choose one of: local, ray"
    assert ENGINE_CHOICES == ("local", "ray")
    assert isinstance(build_engine("local", ClusterOptions()), LocalEngine)


@pytest.mark.parametrize(
    ("resources", "steps", "options", "size"),
    [
        ({"CPU": 2.0}, 1, ClusterOptions(), 2),  # translate: every CPU an actor
        ({"CPU": 2.0}, 2, ClusterOptions(), 1),  # process: the CPUs shared by the two pools
        ({"CPU": 64.0}, 2, ClusterOptions(actor_cpus=4), 8),
        ({"CPU": 1.0}, 2, ClusterOptions(), 1),  # at least one actor a pool
        ({"CPU": 32.0, "GPU": 4.0}, 2, ClusterOptions(actor_gpus=1), 2),  # GPU actors: the GPUs shared
        ({"CPU": 32.0, "GPU": 1.0}, 1, ClusterOptions(actor_gpus=0.5), 2),
        ({"CPU": 32.0}, 2, ClusterOptions(actors=3), 3),  # --ray-actors decides
    ],
)
def test_pools_share_the_cluster_evenly_between_the_models(
    resources: dict[str, float], steps: int, options: ClusterOptions, size: int
) -> None:
    assert pool_sizes(resources, steps, options) == size
