"""`nlbrief fetch` as a library function: sources in, one article file per new item out.

:func:`run_fetch` is what the command (and a daily job) calls. Per source: a URL known as a feed is
asked for with its validators (a 304 ends it there); an answer that is a feed gives items, each fetched
unless an earlier run saw it unchanged; any other answer is an article page. Each page goes to the
article extractor (given by the caller: pipeline/app.py wires pipeline/ingest/html.py); when the page
yields no usable text (nothing, or less than the feed's own), the feed's text is written instead, and
the file and the message say which. A failed feed or page is one ``error:`` line naming it and the
reason; the others go on, and the report's exit code says some failed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from pipeline.errors import FetchError, InputError, UsageError
from pipeline.fetch.feeds import FeedItem, looks_like_feed, one_line, parse_feed
from pipeline.fetch.http import FetchPolicy, HttpClient, Response
from pipeline.fetch.robots import Robots
from pipeline.fetch.sources import FeedSpec, plan_sources
from pipeline.fetch.state import FetchState, Seen, Validators, utc_now
from pipeline.fetch.writer import Article, iso_day, new_name, text_digest, write_article
from pipeline.run.files import check_output_folder, remove_stale_temp_files
from pipeline.run.lock import FolderLock
from pipeline.text.language import LANGUAGE_NAMES, detect_language

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_DIRECT = ""  # the "feed" of an article URL given directly
_UNTOLD = FeedItem(key="", url=None, title="", text="", date=None, author=None, version="")


class ExtractedPage(Protocol):
    """What the article extractor gives back (pipeline/ingest/html.py's ExtractedPage)."""

    @property
    def title(self) -> str | None: ...
    @property
    def text(self) -> str: ...  # paragraphs separated by blank lines
    @property
    def date(self) -> str | None: ...  # ISO
    @property
    def author(self) -> str | None: ...
    @property
    def extractor(self) -> str: ...  # its name, e.g. "trafilatura"


# An HTML page (its text, or its bytes when the server names no charset; its URL) -> the article in
# it, or None when it holds none.
PageExtractor = Callable[[str | bytes, str], ExtractedPage | None]


class FetchLog(Protocol):
    def note(self, text: str) -> None: ...  # what was done; a quiet run leaves these out
    def error(self, text: str) -> None: ...  # a source or item that failed; always shown


@dataclass(frozen=True, kw_only=True)
class FetchRequest:
    sources: list[str]  # feed URLs, article URLs, OPML files
    feeds_files: list[Path]  # --feeds FILE (TOML)
    out_dir: Path
    policy: FetchPolicy
    wait_for_lock: bool
    feeds: tuple[FeedSpec, ...] = ()  # feeds read already (a config file's), fetched first


@dataclass
class FetchReport:
    """What a run did; the names are the files' names in the output folder."""

    out_dir: Path
    written: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    already: int = 0  # items seen by an earlier run (or twice in this one), nothing written
    not_dutch: int = 0
    failed: list[str] = field(default_factory=list)  # the error lines

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def end_line(self) -> str:
        return (
            f"{len(self.written)} written, {len(self.updated)} updated, {self.already} already fetched, "
            f"{self.not_dutch} not Dutch, {len(self.failed)} failed -> {self.out_dir}"
        )


def run_fetch(request: FetchRequest, extract: PageExtractor, log: FetchLog) -> FetchReport:
    """Fetch what is new among ``request.sources`` into ``request.out_dir``; one run per folder at a time."""
    specs = plan_sources(request.sources, request.feeds_files, request.feeds)
    if not specs:
        raise UsageError("nothing to fetch; name feed URLs, article URLs, OPML files or --feeds FILE")
    check_output_folder(request.out_dir)
    with FolderLock(request.out_dir, wait=request.wait_for_lock, on_wait=log.note):
        remove_stale_temp_files(request.out_dir)
        with FetchState(request.out_dir) as state:
            session = _Session(request, state, extract, log)
            for spec in specs:
                session.source(spec)
            return session.report


def _host(url: str) -> str:
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def _page_text(page: Response) -> str | bytes:
    """The page decoded by the charset its server names (which a page need not repeat in a <meta>),
    else its bytes, for the extractor to decode as the page declares."""
    charset = page.headers.get_content_charset()
    if charset:
        try:
            return page.body.decode(charset, errors="replace")
        except LookupError:  # a charset Python does not know: let the page's own declaration decide
            pass
    return page.body


def _validators(response: Response) -> Validators:
    return Validators(response.headers.get("ETag"), response.headers.get("Last-Modified"))


@dataclass(frozen=True)
class _Origin:
    """Where an item comes from: its feed (or _DIRECT), its key there, the outlet's name, and the
    URL the feed gives (the one another feed listing it would give too; for an article URL given
    directly, that URL)."""

    feed: str
    key: str
    outlet: str
    link: str | None


@dataclass(frozen=True)
class _Known:
    """What an earlier run recorded of an item (None: new), and the page fetched now (None: none)."""

    seen: Seen | None
    page: Response | None


class _Session:
    def __init__(self, request: FetchRequest, state: FetchState, extract: PageExtractor, log: FetchLog):
        self.out_dir, self.state, self.extract, self.log = request.out_dir, state, extract, log
        self.client = HttpClient(request.policy)
        self.robots = Robots(self.client)
        self.report = FetchReport(request.out_dir)
        # Names an article may not take: earlier articles' (even if deleted since) and any file there.
        self.taken = state.paths() | {path.name for path in request.out_dir.iterdir()}

    def source(self, spec: FeedSpec) -> None:
        try:
            self._source(spec)
        except FetchError as err:
            self._fail(err)

    def _fail(self, err: FetchError) -> None:
        self.report.failed.append(str(err))
        self.log.error(str(err))

    def _get(self, url: str, validators: Validators | None = None) -> Response:
        headers = validators.headers() if validators is not None else None
        return self.client.get_ok(url, headers, permit=self.robots.permit)

    def _source(self, spec: FeedSpec) -> None:
        validators = self.state.feed_validators(spec.url)
        if validators is None and (seen := self.state.seen(_DIRECT, spec.url, spec.url)) is not None:
            self.report.already += 1
            self.log.note(f"{spec.url}: fetched before ({seen.path or seen.status}); not fetched again")
            return
        response = self._get(spec.url, validators)
        if response.status == 304:
            self.log.note(f"{spec.url}: feed not changed since the last run")
            return
        if looks_like_feed(response.body, response.content_type):
            self._feed(spec, response)
        else:
            origin = _Origin(_DIRECT, spec.url, spec.name or _host(response.url), spec.url)
            self._keep(self._compose(None, response), origin, "page", _Known(None, response))

    def _feed(self, spec: FeedSpec, response: Response) -> None:
        feed = parse_feed(response.body, response.url, response.headers.get("Content-Type"))
        if feed.warning:
            self.log.note(f"warning: {spec.url}: {feed.warning}")
        outlet = spec.name or feed.title or _host(response.url)
        failures = len(self.report.failed)
        wanted = [item for item in feed.items if spec.wants(item)]
        self.log.note(f"{spec.url}: {len(wanted)} item(s) of {len(feed.items)}")
        for item in wanted:
            try:
                self._item(_Origin(spec.url, item.key, outlet, item.url), item)
            except FetchError as err:
                self._fail(err)
        # The validators are kept only when every item made it: else a 304 would hide the failed ones.
        if len(self.report.failed) == failures:
            self.state.save_feed(spec.url, _validators(response))

    def _item(self, origin: _Origin, item: FeedItem) -> None:
        seen = self.state.seen(origin.feed, origin.key, item.url)
        if seen is not None and (seen.feed, seen.key) != (origin.feed, origin.key):
            # The same URL from another feed, or published again under a new id: known already.
            self.state.remember(replace(seen, feed=origin.feed, key=origin.key, version=item.version))
            self.report.already += 1
            return
        if seen is not None and seen.version == item.version:
            self.report.already += 1
            return
        page = None
        if item.url:
            page = self._get(item.url, seen.validators if seen is not None else None)
            if page.status == 304 and seen is not None:
                self.state.remember(replace(seen, version=item.version))
                self.report.already += 1
                return
        self._keep(self._compose(item, page), origin, item.version, _Known(seen, page))

    def _compose(self, item: FeedItem | None, page: Response | None) -> Article:
        told = item or _UNTOLD  # what the feed says, when there is a feed
        url = page.url if page is not None else told.url or ""
        found = self._extract(page) if page is not None else None
        if found is not None and found.text.strip() and len(found.text) >= len(told.text):
            text, text_from = found.text, f"page ({found.extractor})"
        elif told.text:
            text, text_from = told.text, "feed"
            if page is not None:
                why = (
                    "no article text"
                    if found is None or not found.text.strip()
                    else "less text than the feed"
                )
                self.log.note(f"{url}: the page gave {why}; the feed's own text is written")
        else:
            raise FetchError(
                url or told.key, "no article text on the page" + (" nor in the feed" if item else "")
            )
        return Article(
            title=one_line(found.title if found is not None else None) or told.title, text=text, url=url,
            date=iso_day(found.date if found is not None else None) or told.date,
            author=one_line(found.author if found is not None else None) or told.author,
            outlet="", feed=None, fetched=utc_now(), text_from=text_from,
        )  # fmt: skip

    def _extract(self, page: Response) -> ExtractedPage | None:
        if page.content_type not in _HTML_TYPES:
            self.log.note(f"{page.url}: not an HTML page ({page.content_type})")
            return None
        try:
            return self.extract(_page_text(page), page.url)
        except InputError as err:
            raise FetchError(page.url, err.reason) from None
        except Exception as err:  # one hostile page must not stop the run; it fails alone, named
            raise FetchError(
                page.url, f"the article extractor failed ({type(err).__name__}: {err})"
            ) from None

    def _keep(self, article: Article, origin: _Origin, version: str, known: _Known) -> None:
        article = replace(article, outlet=origin.outlet, feed=origin.feed or None)
        page = _validators(known.page) if known.page is not None else Validators(None, None)
        record = Seen(
            feed=origin.feed, key=origin.key, url=origin.link or article.url, version=version,
            content_hash=None, path=None, status="not dutch", etag=page.etag,
            last_modified=page.last_modified,
        )  # fmt: skip
        seen = known.seen
        guess = detect_language(f"{article.title}\n{article.text}")
        if guess.language not in ("nl", "unknown") and guess.confidence >= 0.5:
            self.state.remember(record)
            self.report.not_dutch += 1
            name = LANGUAGE_NAMES.get(guess.language, guess.language)
            self.log.note(f"{article.url}: reads as {name}, not Dutch; not written")
            return
        digest = text_digest(article.text)
        record = replace(record, content_hash=digest, status="written")
        same = self.state.with_text(digest)
        if same is not None and (seen is None or same.path != seen.path or seen.content_hash == digest):
            self.state.remember(replace(record, path=same.path))
            self.report.already += 1
            if seen is None:
                self.log.note(
                    f"{article.url}: same text as {same.path} (moved or published again); not written"
                )
            return
        self._write(article, replace(record, path=seen.path if seen is not None else None))

    def _write(self, article: Article, record: Seen) -> None:
        name = record.path or new_name(article, article.date or article.fetched[:10], self.taken)
        path = write_article(self.out_dir, name, article)
        self.taken.add(name)
        self.state.remember(replace(record, path=name))
        (self.report.updated if record.path else self.report.written).append(name)
        verb = "updated" if record.path else "wrote"
        self.log.note(f"{verb} {path}: text from the {article.text_from}")
        if article.date is None:
            self.log.note(f"{path}: neither the page nor the feed dates it; named by the day it was fetched")


class StderrLog:
    """The command's log: notes unless quiet, ``error:`` lines always, on stderr."""

    def __init__(self, *, quiet: bool) -> None:
        self.quiet = quiet

    def note(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)

    def error(self, text: str) -> None:
        print(f"error: {text}", file=sys.stderr, flush=True)
