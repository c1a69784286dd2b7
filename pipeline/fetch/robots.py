"""robots.txt, honoured: each site's rules read once per run, through the run's own HTTP client.

As RFC 9309 says: a robots.txt that is not there (404 and other 4xx) allows everything; one that is
unreachable (5xx, a timeout, a refused connection) allows nothing, since the site's wishes are unknown;
401 and 403 allow nothing. A Crawl-delay for nlbrief (or ``*``) slows the requests to that host.
"""

from __future__ import annotations

from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from pipeline.errors import FetchError
from pipeline.fetch.http import HttpClient

AGENT = "nlbrief"  # the name robots.txt rules are matched against


class Robots:
    """``permit(url)`` raises FetchError when the site's robots.txt does not allow nlbrief there."""

    def __init__(self, client: HttpClient) -> None:
        self.client = client
        self._rules: dict[str, RobotFileParser] = {}
        self._unreadable: dict[str, str] = {}

    def permit(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        if origin not in self._rules and origin not in self._unreadable:
            self._load(origin, parts.hostname or "")
        if origin in self._unreadable:
            raise FetchError(url, f"not fetched: {self._unreadable[origin]}")
        if not self._rules[origin].can_fetch(AGENT, url):
            raise FetchError(url, f"not fetched: robots.txt of {parts.netloc} does not allow it")

    def _load(self, origin: str, host: str) -> None:
        rules = RobotFileParser(f"{origin}/robots.txt")
        try:
            response = self.client.get(f"{origin}/robots.txt")
        except FetchError as err:
            self._unreadable[origin] = f"robots.txt of {host} could not be read ({err.reason})"
            return
        if response.status >= 500:
            self._unreadable[origin] = f"robots.txt of {host} could not be read (HTTP {response.status})"
            return
        if response.status in (401, 403):
            lines = ["User-agent: *", "Disallow: /"]
        elif response.status >= 400:
            lines = []  # no rules: everything allowed
        else:
            lines = response.body.decode("utf-8", errors="replace").splitlines()
        rules.parse(lines)
        rules.modified()  # can_fetch() allows nothing until the rules are marked as read
        delay = rules.crawl_delay(AGENT)
        if delay:
            self.client.slow_down(host, float(delay))
        self._rules[origin] = rules
