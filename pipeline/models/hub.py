"""The Hugging Face Hub as nlbrief sees it: whether it can be reached, and the calls that fetch from it.

Without a network, huggingface_hub retries each request with backoff (about 24 s of warnings)
before failing. One short connection attempt, once per process, answers "can the hub be
reached?" first, so a missing model gets one line at once instead. Nothing here imports
huggingface_hub at module level, so listing and checking models stays instant.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_ENDPOINT = "https://huggingface.co"
# Long enough for a slow link to open a connection, short enough that an offline run is not held up.
PROBE_TIMEOUT_S = 3.0
# The Hub account that opens the automatic safetensors conversion pull requests.
CONVERSION_BOT = "SFconvertbot"


def hub_endpoint() -> str:
    """The hub's base URL: HF_ENDPOINT (a mirror, or a test's closed port), else huggingface.co."""
    return (os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def hub_host() -> str:
    """The endpoint's host (and port when not the default), for messages."""
    return urlsplit(hub_endpoint()).netloc or hub_endpoint()


def _address(url: str) -> tuple[str, int]:
    parts = urlsplit(url if "://" in url else f"http://{url}")
    default = {"https": 443, "http": 80}.get(parts.scheme, 1080)  # 1080: socks proxies
    return parts.hostname or "", parts.port or default


def _probe_address() -> tuple[str, int]:
    """Where a request to the hub first connects: the proxy huggingface_hub would use, else the hub."""
    import urllib.request  # here, not at the top: `nlbrief --help` does not need the network stack

    endpoint = hub_endpoint()
    scheme, host = urlsplit(endpoint).scheme, urlsplit(endpoint).hostname or ""
    proxies = urllib.request.getproxies()
    proxy = proxies.get(scheme) or proxies.get("all")
    if proxy and not urllib.request.proxy_bypass(host):
        return _address(proxy)
    return _address(endpoint)


def hub_reachable() -> bool:
    """Whether a TCP connection to the hub (or its proxy) opens within PROBE_TIMEOUT_S."""
    return _answers(*_probe_address())


@functools.cache
def _answers(host: str, port: int) -> bool:
    """Asked once per process and address. The thread bounds name resolution too, which
    ``create_connection``'s timeout does not cover."""
    import socket
    import threading

    answered: list[bool] = []

    def connect() -> None:
        try:
            with socket.create_connection((host, port), timeout=PROBE_TIMEOUT_S):
                answered.append(True)
        except (OSError, ValueError):
            answered.append(False)

    thread = threading.Thread(target=connect, name="nlbrief-hub-probe", daemon=True)
    thread.start()
    thread.join(PROBE_TIMEOUT_S)
    return bool(answered and answered[0])


def quiet_hub_logging() -> None:
    """huggingface_hub's own retry warnings would bury nlbrief's one-line message."""
    from huggingface_hub.utils import logging as hub_logging

    hub_logging.set_verbosity_error()


def fetch_snapshot(repo_id: str, cache_dir: Path, support: list[str], weights: list[str]) -> Path:
    """Download ``repo_id``'s support files and safetensors weights (from main, else from the
    conversion bot's pull request, else main's pickle weights) into ``cache_dir``. Raises
    whatever huggingface_hub raises; the callers word the message."""
    from huggingface_hub import HfApi, snapshot_download

    quiet_hub_logging()
    api = HfApi()
    revision = "main"
    files = api.list_repo_files(repo_id)
    patterns = list(support)
    if any(f.endswith(".safetensors") for f in files):
        patterns += weights
    else:
        converted = _safetensors_conversion_ref(api, repo_id)
        if converted:
            revision = converted
            patterns += weights
        else:
            patterns += ["pytorch_model*.bin"]
    return Path(snapshot_download(repo_id, revision=revision, allow_patterns=patterns, cache_dir=cache_dir))


def _safetensors_conversion_ref(api: object, repo_id: str) -> str | None:
    """Many older hub models carry safetensors only in an automatic conversion pull request.

    Only open pull requests by the conversion bot count: anyone can open a pull request, and its
    config, tokenizer and chat template files would be fetched along with its weights.
    """
    prs = api.get_repo_discussions(  # type: ignore[attr-defined]
        repo_id, author=CONVERSION_BOT, discussion_type="pull_request", discussion_status="open"
    )
    for pr in prs:
        if pr.author != CONVERSION_BOT or not pr.is_pull_request or pr.status != "open":
            continue
        files = api.list_repo_files(repo_id, revision=pr.git_reference)  # type: ignore[attr-defined]
        if any(f.endswith(".safetensors") for f in files):
            return str(pr.git_reference)
    return None
