"""``nlbrief models pull``: hub models fetched now, for later offline use.

Its messages suit someone pulling (never "run models pull"), and one model that fails does not
stop the next.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import ModelError, ModelNotAvailable
from pipeline.models.hub import fetch_snapshot, hub_endpoint, hub_host, hub_reachable
from pipeline.models.locate import (
    DEFAULT_TRANSLATOR,
    SAFE_WEIGHTS,
    SUPPORT_FILES,
    ModelSource,
    failure_reason,
    hub_cache_dir,
    locate_model,
    looks_like_path,
    offline_mode,
)


def pull_model(spec: str) -> ModelSource:
    """``nlbrief models pull``: fetch a hub model now. Its messages suit someone pulling (never
    "run models pull"); a local folder is already on this machine and needs nothing."""
    if Path(spec).expanduser().exists():
        return locate_model(spec, download=False)  # a folder needs no pull; a file is refused there
    if looks_like_path(spec):
        raise ModelNotAvailable(
            f"cannot pull {spec!r}: no such folder, and not a hub id such as {DEFAULT_TRANSLATOR}"
        )
    if offline_mode():
        raise ModelNotAvailable(
            f"cannot pull {spec!r}: HF_HUB_OFFLINE is set, which forbids downloads; unset it on a connected "
            "machine, or copy the HF_HOME folder of a machine that pulled the models"
        )
    if not hub_reachable():
        raise ModelNotAvailable(
            f"cannot pull {spec!r}: the Hugging Face Hub ({hub_host()}) cannot be reached (no network); "
            "connect this machine (or set HTTPS_PROXY), or pull on a connected machine and copy its HF_HOME"
        )
    try:
        path = fetch_snapshot(spec, hub_cache_dir(), SUPPORT_FILES, list(SAFE_WEIGHTS))
    except Exception as err:  # noqa: BLE001 - any hub failure is this model's, the next one may work
        raise ModelNotAvailable(
            f"cannot pull {spec!r}: download failed ({failure_reason(err)}); check the id at "
            f"{hub_endpoint()}/{spec} (a gated model also needs your Hugging Face token)"
        ) from err
    return ModelSource(spec, path, "downloaded", path.name)


def pull_models(specs: list[str]) -> Iterator[tuple[str, ModelSource | ModelError]]:
    """Each model pulled in turn; one that fails is reported and the next one is still tried."""
    for spec in dict.fromkeys(specs):
        try:
            yield spec, pull_model(spec)
        except ModelError as err:
            yield spec, err
