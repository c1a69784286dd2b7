"""The one HTTP client of `nlbrief fetch`: a good citizen that is hard to abuse.

Every request, and every hop of a redirect, is checked before anything is sent: http or https only; the
host resolved, and every address it resolves to public (no loopback, private, link-local, shared,
reserved or multicast address: a feed must not make nlbrief read a router's admin page or a cloud's
metadata service) unless the policy allows it; the connection then goes to the address that was
checked, so a second DNS answer cannot swap it. Redirects are bounded and a loop is named. A body is
read in chunks under one deadline for the whole request (a server that trickles a byte a second cannot
hold a run) and refused past ``max_bytes``, compressed or decompressed: a gzip bomb stops at the cap,
never inflated whole. One host gets one request at a time, ``delay`` seconds apart (longer when its
robots.txt asks). Proxies from the environment are not used.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import Message
from urllib.parse import quote, urljoin, urlsplit

from pipeline import __version__
from pipeline.errors import FetchError
from pipeline.ingest.reading import megabytes

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# --allow-private: every address, the local network's and this machine's included.
EVERY_ADDRESS: tuple[IPNetwork, ...] = (ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0"))
USER_AGENT = f"nlbrief/{__version__} (Dutch news briefing; honours robots.txt)"
MAX_REDIRECTS = 5
# A robots.txt Crawl-delay is honoured up to this many seconds: a larger one would stall a daily run.
MAX_CRAWL_DELAY = 30.0
REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PORTS = {"http": 80, "https": 443}
_URL_SAFE = "!#$%&'()*+,/:;=?@[]~"  # reserved characters and escapes stay as they are
_CHUNK = 64 * 1024
_GZIP_OR_ZLIB = 32 + zlib.MAX_WBITS  # zlib reads the header and takes either


@dataclass(frozen=True, kw_only=True)
class FetchPolicy:
    """--timeout (seconds for a whole request), --max-size (bytes of one response, after
    decompression), --delay (seconds between two requests to one host), --allow-private (the private
    or local networks that may be reached; none by default)."""

    timeout: float
    max_bytes: int
    delay: float
    private_allowed: tuple[IPNetwork, ...]


@dataclass(frozen=True, kw_only=True)
class Response:
    url: str  # where the answer came from, after redirects
    status: int
    reason: str
    headers: Message
    body: bytes  # empty for a redirect, a 304 and an error status

    @property
    def content_type(self) -> str:
        return self.headers.get_content_type()


@dataclass(frozen=True)
class _Target:
    url: str
    scheme: str
    host: str
    port: int
    address: str
    path: str


def vet_url(url: str, policy: FetchPolicy) -> _Target:
    """Where ``url`` would be fetched from, or FetchError when the rules refuse it."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as err:
        raise FetchError(url, f"not a valid URL ({err})") from None
    scheme = parts.scheme.lower()
    if scheme not in _PORTS:
        what = f"a {scheme}: URL" if scheme else "not a URL"
        raise FetchError(url, f"refused: only http and https URLs are fetched, and this is {what}")
    if not parts.hostname:
        raise FetchError(url, "not a valid URL (no host name)")
    try:  # a name in other scripts than Latin (IDN) goes on the wire as its ASCII form
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError:
        raise FetchError(url, f"not a valid host name ({parts.hostname})") from None
    port = port or _PORTS[scheme]
    address = _resolve(url, host, port, policy)
    # Feeds link to paths with accents and spaces as written; HTTP wants them percent-encoded.
    path = quote((parts.path or "/") + (f"?{parts.query}" if parts.query else ""), safe=_URL_SAFE)
    return _Target(url=url, scheme=scheme, host=host, port=port, address=address, path=path)


def _resolve(url: str, host: str, port: int, policy: FetchPolicy) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as err:
        raise FetchError(url, f"host {host} not found ({getattr(err, 'strerror', None) or err})") from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    for address in addresses:
        if not _public(address) and not any(address in net for net in policy.private_allowed):
            raise FetchError(
                url,
                f"refused: {host} is a private or local address ({address}); pass --allow-private to "
                "fetch from your own network",
            )
    return str(addresses[0])


def _public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return _public(address.ipv4_mapped)
    return address.is_global and not address.is_multicast


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to the address that was vetted, whatever the name resolves to by now."""

    def __init__(self, target: _Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, target: _Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address
        self._tls = ssl.create_default_context()

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self.host)


class HttpClient:
    """GET under a FetchPolicy; one client per run, so that the delays per host hold across sources."""

    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy
        self._last: dict[str, float] = {}
        self._delay: dict[str, float] = {}

    def slow_down(self, host: str, seconds: float) -> None:
        """Wait at least ``seconds`` (at most MAX_CRAWL_DELAY) between requests to ``host``."""
        self._delay[host] = max(self.policy.delay, min(seconds, MAX_CRAWL_DELAY))

    def get_ok(
        self, url: str, headers: Mapping[str, str] | None = None, permit: Callable[[str], None] | None = None
    ) -> Response:
        """:meth:`get`, with an error status (400 and up) raised as FetchError."""
        response = self.get(url, headers, permit)
        if response.status >= 400:
            raise FetchError(url, f"the server answered HTTP {response.status} {response.reason}".rstrip())
        return response

    def get(
        self, url: str, headers: Mapping[str, str] | None = None, permit: Callable[[str], None] | None = None
    ) -> Response:
        """GET ``url``, following redirects; ``permit`` (robots.txt) may refuse each hop by raising."""
        visited: list[str] = []
        while len(visited) <= MAX_REDIRECTS:
            if url in visited:
                raise FetchError(visited[0], f"redirect loop: sent back to {url}")
            visited.append(url)
            try:
                target = vet_url(url, self.policy)
                if permit is not None:
                    permit(url)
                response = self._once(target, headers or {})
            except FetchError as err:
                if len(visited) == 1:
                    raise
                raise FetchError(visited[0], f"redirected to {err.url}: {err.reason}") from None
            if response.status not in REDIRECTS:
                return response
            location = response.headers.get("Location")
            if not location:
                raise FetchError(url, f"HTTP {response.status} redirect without a Location")
            url = urljoin(url, location.strip())
        raise FetchError(visited[0], f"more than {MAX_REDIRECTS} redirects")

    def _once(self, target: _Target, headers: Mapping[str, str]) -> Response:
        self._wait_turn(target.host)
        deadline = time.monotonic() + self.policy.timeout
        connection_type = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
        connection = connection_type(target, self.policy.timeout)
        sent = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate", **headers}
        # The socket's timeout bounds each read; this bounds the whole answer, headers sent a byte at a
        # time included: at the deadline the socket is shut, and the read waiting on it fails.
        expired = threading.Event()
        watchdog = threading.Timer(self.policy.timeout, _shut, (connection, expired))
        watchdog.daemon = True
        watchdog.start()
        try:
            connection.request("GET", target.path, headers=sent)
            raw = connection.getresponse()
            body = b""
            if raw.status < 300 and raw.status != 204:
                body = _read_body(raw, target.url, self.policy, deadline)
            return Response(
                url=target.url, status=raw.status, reason=raw.reason, headers=raw.headers, body=body
            )
        except (OSError, http.client.HTTPException, UnicodeError) as err:
            if isinstance(err, TimeoutError) or expired.is_set():
                raise FetchError(target.url, _too_slow(self.policy)) from None
            raise FetchError(target.url, f"connection failed ({err or type(err).__name__})") from None
        finally:
            watchdog.cancel()
            connection.close()
            self._last[target.host] = time.monotonic()

    def _wait_turn(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            pause = last + self._delay.get(host, self.policy.delay) - time.monotonic()
            if pause > 0:
                time.sleep(pause)


def _shut(connection: http.client.HTTPConnection, expired: threading.Event) -> None:
    expired.set()
    sock = connection.sock  # read once: the request may be closing it at this very moment
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _too_slow(policy: FetchPolicy) -> str:
    return f"no complete answer within {policy.timeout:g} s (--timeout)"


def _read_body(raw: http.client.HTTPResponse, url: str, policy: FetchPolicy, deadline: float) -> bytes:
    declared = raw.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise FetchError(url, _too_big(f"is {megabytes(int(declared))}, over", policy.max_bytes))
    body = _Body(url, raw.headers.get("Content-Encoding"), policy.max_bytes)
    while chunk := raw.read1(_CHUNK):
        body.add(chunk)
        if time.monotonic() > deadline:
            raise FetchError(url, _too_slow(policy))
    return body.finish()


def _too_big(size: str, limit: int) -> str:
    return f"refused: the answer {size} the {megabytes(limit)} limit (--max-size)"


class _Body:
    """A response body, inflated as it arrives (gzip or deflate), never past the size limit."""

    def __init__(self, url: str, encoding: str | None, limit: int) -> None:
        self.url, self.limit = url, limit
        name = (encoding or "identity").strip().lower()
        if name not in ("identity", "gzip", "x-gzip", "deflate"):
            raise FetchError(url, f"the server sent an encoding nlbrief did not ask for ({name})")
        self._inflate = None if name == "identity" else zlib.decompressobj(_GZIP_OR_ZLIB)
        self._parts: list[bytes] = []
        self._received = 0
        self._size = 0

    def add(self, chunk: bytes) -> None:
        self._received += len(chunk)
        if self._received > self.limit:
            raise FetchError(self.url, _too_big("is over", self.limit))
        if self._inflate is None:
            self._keep(chunk)
            return
        try:
            # Inflate at most one byte past the limit: what is left stays compressed, and is refused.
            self._keep(self._inflate.decompress(chunk, self.limit + 1 - self._size))
        except zlib.error as err:
            raise FetchError(self.url, f"damaged compressed data ({err})") from None

    def finish(self) -> bytes:
        if self._inflate is not None:
            self._keep(self._inflate.flush())
        return b"".join(self._parts)

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        pending = self._inflate is not None and bool(self._inflate.unconsumed_tail)
        if self._size > self.limit or pending:
            what = "decompresses to more than" if self._inflate is not None else "is over"
            reason = _too_big(what, self.limit)
            raise FetchError(self.url, reason + ("; a gzip bomb?" if self._inflate is not None else ""))
        self._parts.append(data)
