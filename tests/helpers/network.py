"""A hub that cannot be reached, without sending anything anywhere."""

from __future__ import annotations


def closed_endpoint() -> str:
    """A hub endpoint on a local port nothing listens on: every connection is refused at once."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
