"""The HTTP client's rules, against a server on 127.0.0.1: addresses, schemes, redirects, sizes,
compression, time, conditional requests, and the User-Agent."""

from __future__ import annotations

import gzip
import ipaddress
import socket
import time

import pytest
from helpers.news_server import Answer, NewsServer

from pipeline.errors import FetchError
from pipeline.fetch.http import EVERY_ADDRESS, MAX_REDIRECTS, FetchPolicy, HttpClient, vet_url

LOOPBACK_ONLY = (ipaddress.ip_network("127.0.0.1/32"),)
MB = 1024 * 1024


def policy(private: tuple = LOOPBACK_ONLY, max_bytes: int = 2 * MB, timeout: float = 5.0) -> FetchPolicy:
    return FetchPolicy(timeout=timeout, max_bytes=max_bytes, delay=0.0, private_allowed=private)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1/feed.xml", "private or local address (127.0.0.1)"),
        ("http://localhost:8080/", "private or local address"),
        ("http://10.1.2.3/", "private or local address (10.1.2.3)"),
        ("http://192.168.1.1/admin", "private or local address"),
        ("http://169.254.169.254/latest/meta-data/", "private or local address"),
        ("http://[::1]/", "private or local address (::1)"),
        ("http://[::ffff:127.0.0.1]/", "private or local address"),
        ("http://2130706433/", "private or local address (127.0.0.1)"),  # 127.0.0.1 as one number
        ("file:///etc/passwd", "only http and https"),
        ("ftp://example.org/feed.xml", "only http and https"),
        ("gopher://example.org/", "only http and https"),
        ("/etc/passwd", "only http and https"),
        ("http:///nohost", "no host name"),
    ],
)
def test_urls_the_rules_refuse_before_anything_is_sent(url: str, why: str) -> None:
    with pytest.raises(FetchError) as caught:
        vet_url(url, policy(private=()))
    assert why in caught.value.reason
    assert caught.value.url == url


def test_allow_private_opens_every_address() -> None:
    assert vet_url("http://127.0.0.1:9/x?y=1", policy(private=EVERY_ADDRESS)).path == "/x?y=1"


def test_a_get_names_nlbrief_and_asks_for_compression() -> None:
    with NewsServer() as site:
        site.route("/a", Answer(b"hallo"))
        response = HttpClient(policy()).get_ok(site.url("/a"))
    assert response.body == b"hallo"
    sent = site.asked("/a")[0].headers
    assert sent["user-agent"].startswith("nlbrief/")
    assert "gzip" in sent["accept-encoding"]


def test_conditional_requests_get_a_304_with_no_body() -> None:
    with NewsServer() as site:
        site.route("/feed", Answer(b"<rss/>", etag='"v1"', last_modified="Mon, 03 Nov 2025 07:30:00 GMT"))
        client = HttpClient(policy())
        first = client.get_ok(site.url("/feed"))
        again = client.get_ok(site.url("/feed"), {"If-None-Match": first.headers["ETag"]})
    assert (first.status, again.status, again.body) == (200, 304, b"")


def test_gzip_is_inflated_and_a_gzip_bomb_is_refused_at_the_cap() -> None:
    with NewsServer() as site:
        site.route("/klein", Answer(gzip.compress(b"tekst " * 1000), headers={"Content-Encoding": "gzip"}))
        bomb = gzip.compress(b"\0" * (60 * MB))  # about 60 KB on the wire
        site.route("/bom", Answer(bomb, headers={"Content-Encoding": "gzip"}))
        client = HttpClient(policy())
        assert client.get_ok(site.url("/klein")).body == b"tekst " * 1000
        with pytest.raises(FetchError) as caught:
            client.get_ok(site.url("/bom"))
    assert (
        "decompresses to more than the 2.0 MB limit (--max-size)" in caught.value.reason
        and "gzip bomb" in caught.value.reason
    )


def test_a_large_answer_is_refused_by_its_length_or_while_it_streams() -> None:
    with NewsServer() as site:
        site.route("/lang", Answer(b"x" * (3 * MB)))
        site.route("/stroom", Answer(stream=50 * MB))
        client = HttpClient(policy())
        with pytest.raises(FetchError, match=r"is 3\.0 MB, over the 2\.0 MB limit \(--max-size\)"):
            client.get_ok(site.url("/lang"))
        start = time.monotonic()
        with pytest.raises(FetchError, match=r"the answer is over the 2\.0 MB limit"):
            client.get_ok(site.url("/stroom"))
    assert time.monotonic() - start < 5  # stopped at the cap, not after 50 MB


def test_redirects_are_followed_bounded_and_loops_named() -> None:
    with NewsServer() as site:
        site.route("/oud", Answer(status=301, headers={"Location": "/nieuw"}))
        site.route("/nieuw", Answer(b"hier"))
        site.route("/a", Answer(status=302, headers={"Location": site.url("/b")}))
        site.route("/b", Answer(status=302, headers={"Location": "/a"}))
        for n in range(MAX_REDIRECTS + 2):
            site.route(f"/keten{n}", Answer(status=307, headers={"Location": f"/keten{n + 1}"}))
        client = HttpClient(policy())
        moved = client.get_ok(site.url("/oud"))
        assert (moved.body, moved.url) == (b"hier", site.url("/nieuw"))
        with pytest.raises(FetchError, match="redirect loop"):
            client.get_ok(site.url("/a"))
        with pytest.raises(FetchError, match=f"more than {MAX_REDIRECTS} redirects"):
            client.get_ok(site.url("/keten0"))


@pytest.mark.parametrize(
    "target", ["http://127.0.0.2/", "http://169.254.169.254/latest/meta-data/", "file:///etc/passwd"]
)
def test_a_redirect_to_a_private_address_or_a_file_is_refused(target: str) -> None:
    with NewsServer() as site:
        site.route("/lokaas", Answer(status=302, headers={"Location": target}))
        with pytest.raises(FetchError) as caught:
            HttpClient(policy()).get_ok(site.url("/lokaas"))
    assert caught.value.url == site.url("/lokaas")
    assert f"redirected to {target}: refused" in caught.value.reason
    assert [r.path for r in site.requests] == ["/lokaas"]


def test_a_server_that_never_answers_times_out() -> None:
    with NewsServer() as site:
        site.route("/stil", Answer(stall=True))
        start = time.monotonic()
        with pytest.raises(FetchError, match=r"no complete answer within 0\.5 s \(--timeout\)"):
            HttpClient(policy(timeout=0.5)).get_ok(site.url("/stil"))
    assert time.monotonic() - start < 3


def test_headers_trickling_in_a_byte_at_a_time_time_out_too() -> None:
    with NewsServer() as site:
        site.route("/traag", Answer(trickle=0.2))  # each byte well within the socket's own timeout
        start = time.monotonic()
        with pytest.raises(FetchError, match=r"no complete answer within 1 s"):
            HttpClient(policy(timeout=1.0)).get_ok(site.url("/traag"))
    assert time.monotonic() - start < 3


def test_error_statuses_and_refused_connections_are_one_reason_each() -> None:
    with NewsServer() as site:
        client = HttpClient(policy())
        with pytest.raises(FetchError, match="HTTP 404"):
            client.get_ok(site.url("/weg"))
        port = site.port
    with pytest.raises(FetchError, match="connection failed"):
        client.get_ok(f"http://127.0.0.1:{port}/dicht")


def test_one_host_gets_its_requests_delay_apart() -> None:
    with NewsServer() as site:
        site.route("/a", Answer(b"a"))
        client = HttpClient(FetchPolicy(timeout=5, max_bytes=MB, delay=0.3, private_allowed=LOOPBACK_ONLY))
        start = time.monotonic()
        for _ in range(3):
            client.get_ok(site.url("/a"))
    assert time.monotonic() - start >= 0.6


def test_paths_with_accents_and_spaces_are_sent_percent_encoded() -> None:
    with NewsServer() as site:
        site.route("/nieuws/caf%C3%A9%20de%20Zwaan?id=1", Answer(b"gevonden"))
        assert HttpClient(policy()).get_ok(site.url("/nieuws/café de Zwaan?id=1")).body == b"gevonden"


def test_a_host_name_in_another_script_is_looked_up_in_its_ascii_form(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []

    def lookup(host: str, port: int, **_: object) -> list[tuple]:
        asked.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    target = vet_url("http://bücher.example/", policy(private=()))
    assert (asked, target.host, target.address) == (
        ["xn--bcher-kva.example"],
        "xn--bcher-kva.example",
        "93.184.215.14",
    )
