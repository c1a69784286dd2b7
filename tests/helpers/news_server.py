"""A news site on 127.0.0.1 for the fetch tests: routes of canned answers, every request recorded.

``with NewsServer() as site:`` starts it on a free port and stops it; ``site.route(path, Answer(...))``
sets what a path answers, ``site.url(path)`` is its URL, ``site.requests`` what was asked (path and
headers). An Answer with an ``etag`` or ``last_modified`` answers 304 to a request that sends them back.
Special answers: ``stream`` (a body of that many bytes sent without a length, in chunks, until the client
hangs up), ``stall`` (no answer until the server stops).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Answer:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    stream: int = 0  # send this many bytes without a Content-Length instead of ``body``
    stall: bool = False  # never answer
    trickle: float = 0.0  # send the status line and headers one byte every this many seconds


@dataclass
class Request:
    path: str
    headers: dict[str, str]


class NewsServer:
    def __init__(self) -> None:
        self.routes: dict[str, Answer] = {}
        self.requests: list[Request] = []
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                server.requests.append(Request(self.path, {k.lower(): v for k, v in self.headers.items()}))
                server.answer(self, server.routes.get(self.path, Answer(b"niet gevonden", status=404)))

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> NewsServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, answer: Answer) -> None:
        self.routes[path] = answer

    def asked(self, path: str) -> list[Request]:
        return [request for request in self.requests if request.path == path]

    def answer(self, handler: BaseHTTPRequestHandler, answer: Answer) -> None:
        if answer.stall:
            self.release.wait(30)
            return
        if answer.trickle:
            _trickle(handler, answer.trickle, self.release)
            return
        sent = handler.headers
        fresh = (answer.etag and sent.get("If-None-Match") == answer.etag) or (
            answer.last_modified and sent.get("If-Modified-Since") == answer.last_modified
        )
        handler.send_response(304 if fresh else answer.status)
        for name, value in (("ETag", answer.etag), ("Last-Modified", answer.last_modified)):
            if value:
                handler.send_header(name, value)
        for name, value in answer.headers.items():
            handler.send_header(name, value)
        if fresh:
            handler.end_headers()
            return
        handler.send_header("Content-Type", answer.content_type)
        if answer.stream:
            handler.end_headers()
            _stream(handler, answer.stream)
            return
        handler.send_header("Content-Length", str(len(answer.body)))
        handler.end_headers()
        handler.wfile.write(answer.body)


def _trickle(handler: BaseHTTPRequestHandler, pause: float, release: threading.Event) -> None:
    try:
        for byte in b"HTTP/1.0 200 OK\r\n" + b"X-Traag: " + b"z" * 1000:
            if release.wait(pause):
                return
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
    except OSError:
        pass  # the client gave up, as it should


def _stream(handler: BaseHTTPRequestHandler, size: int) -> None:
    chunk = b"<p>" + b"Lange tekst zonder einde. " * 2500 + b"</p>\n"
    try:
        while size > 0:
            handler.wfile.write(chunk[:size])
            size -= len(chunk)
    except OSError:
        pass  # the client hung up, as it should past its size limit
