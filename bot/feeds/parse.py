"""Feed documents parsed by feedparser in worker processes, within a time budget.

feedparser is pure Python and can take seconds on a large or pathological document; run on the event
loop it would freeze every command and heartbeat. Worker processes (not threads: the GIL would still
stall the loop) keep the loop free, and a worker stuck on one document is killed and replaced.
Only plain, picklable data crosses back.

feedparser hands documents to expat, which expands entities declared in an internal DTD (a three-level
"lol" document came back as a 300-character title); only expat's own amplification limit stands between a
billion-laughs document and the worker's memory. Real feeds never declare entities, so a document that
does is refused before parsing, and each worker also runs under an address-space limit.

The character set is decided here (``charsets``, RFC 7303) and feedparser is handed UTF-8, with the address the
document came from (the final URL after redirects, or its ``Content-Location``) as the base that relative links
and ``xml:base`` resolve against. A refusal's reason is a ``Text``, so ``/feeds add`` says it in the moderator's
language.
"""

from __future__ import annotations

import asyncio
import calendar
import io
import logging
import multiprocessing
import os
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import feedparser

from bot.errors import UserFacingError
from bot.feeds.charsets import SNIFFED_STARTS, Decoded, decode
from bot.i18n import Text

log = logging.getLogger(__name__)

T = TypeVar("T")

WORKER_MEMORY_LIMIT = 1024 * 1024 * 1024
PARENT_CHECK_SECONDS = 1.0
_ENTITY_DECLARATIONS = tuple(
    re.compile(re.escape("<!ENTITY".encode(codec)), re.IGNORECASE)
    for codec in ("ascii", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
# What PHP prints when a script fails before (or while) writing the feed: "<br />\n<b>Fatal error</b>:  …".
_SERVER_ERROR = re.compile(
    r"(?:PHP )?(Fatal error|Parse error|Warning|Notice|Deprecated)(?:</b>)?:\s*(.{1,300}?)(?:<br|\n|$)", re.DOTALL
)
_TAG = re.compile(r"<[^>]*>")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class NotAFeedError(UserFacingError):
    """The document is not a feed Marquee can use; ``str()`` starts with "not a usable feed"."""

    def __init__(self, why: Text) -> None:
        self.why = why
        super().__init__("not a usable feed: {why}", why=why)


@dataclass(frozen=True, slots=True)
class ParsedItem:
    """One entry as the feed gave it, before cleaning (``normalise`` does that)."""

    guid: str | None
    link: str | None
    title: str | None
    summary: str | None
    content_html: str | None
    published: datetime | None
    author: str | None
    image: str | None
    source_title: str | None
    source_url: str | None
    categories: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A whole feed document; ``format`` is feedparser's version tag (``rss20``, ``atom10`` …)."""

    format: str
    title: str | None
    link: str | None
    image: str | None
    items: tuple[ParsedItem, ...]
    warning: str | None = None


@dataclass(frozen=True, slots=True)
class Refusal:
    """A worker's answer for an unusable document (exceptions are not sent back across processes).

    ``reason`` is a ``Text`` (template and values) so a moderator reads it in their language; ``why`` is the
    English, for logs and the feed's last error.
    """

    reason: Text

    @property
    def why(self) -> str:
        return str(self.reason)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _when(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
            except (OverflowError, ValueError, OSError):
                continue
    return None


def _image(entry: Any) -> str | None:
    return _link(_image_of(entry))


def _image_of(entry: Any) -> str | None:
    for key in ("media_thumbnail", "media_content"):
        for media in entry.get(key) or ():
            url = _text(media.get("url"))
            medium = str(media.get("medium") or media.get("type") or "image")
            if url and ("image" in medium or key == "media_thumbnail"):
                return url
    for enclosure in entry.get("enclosures") or ():
        if str(enclosure.get("type") or "").startswith("image/") and _text(enclosure.get("href")):
            return _text(enclosure.get("href"))
    image = entry.get("image")
    if isinstance(image, dict):
        return _text(image.get("href") or image.get("url"))
    return None


def _link(value: Any) -> str | None:
    """A link with its scheme in lower case (``HTTP://`` is the same address; RFC 3986 §3.1)."""
    link = _text(value)
    if link and (scheme := _SCHEME.match(link)):
        return scheme.group(0).lower() + link[scheme.end() :]
    return link


def _item(entry: Any) -> ParsedItem:
    source = entry.get("source") or {}
    content = entry.get("content") or ()
    html_parts = [str(part.get("value") or "") for part in content if "html" in str(part.get("type") or "html")]
    categories = tuple(text for tag in entry.get("tags") or () if (text := _text(tag.get("label") or tag.get("term"))))
    return ParsedItem(
        guid=_text(entry.get("id")),
        link=_link(entry.get("link")),
        title=_text(entry.get("title")),
        summary=_text(entry.get("summary")),
        content_html=_text("\n".join(html_parts)),
        published=_when(entry),
        author=_text(entry.get("author")),
        image=_image(entry),
        source_title=_text(source.get("title")),
        source_url=_link(source.get("href") or source.get("url")),
        categories=categories,
    )


def _limit_memory() -> None:
    """Worker initializer: cap the address space so a pathological document fails instead of swapping."""
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (WORKER_MEMORY_LIMIT, WORKER_MEMORY_LIMIT))
    except (ImportError, ValueError, OSError):  # pragma: no cover - platform dependent
        pass
    # A worker holds both ends of its task queue, so it never sees end-of-file when the bot is killed
    # (kill -9); without this watch it would wait for work forever as an orphan.
    parent = os.getppid()
    threading.Thread(target=_exit_with_parent, args=(parent,), name="parent-watch", daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


def _server_error(text: str) -> Text | None:
    """The error a site's script printed where the feed should be (a PHP fatal error), if the start shows one."""
    found = _SERVER_ERROR.search(text[:2048])
    if found is None or found.start() > 200:
        return None
    message = " ".join(_TAG.sub("", found.group(2)).split())[:150]
    return Text("the site printed an error instead of the feed: {error}", error=f"{found.group(1)}: {message}")


def _usable(item: ParsedItem) -> bool:
    return bool(item.title or item.link or item.summary or item.content_html)


def parse_document(
    body: bytes, content_type: str | None = None, *, base_url: str | None = None
) -> ParsedFeed | Refusal:
    """Parse ``body`` in the current process; the worker entry point, also usable directly in tests.

    ``content_type`` is the HTTP header (its charset is one word in the RFC 7303 decision); ``base_url`` the
    address relative links resolve against when the document's ``xml:base`` does not say.
    """
    if any(pattern.search(body) for pattern in _ENTITY_DECLARATIONS):
        return Refusal(Text("it declares XML entities (<!ENTITY …>), which Marquee refuses to expand"))
    if not body.strip():
        return Refusal(Text("the server sent an empty document"))
    start = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start.startswith((b"<", b"\xff\xfe", b"\xfe\xff", *SNIFFED_STARTS)) and b"\x00" not in start:
        shown = start[:20].decode("utf-8", "replace")
        error = _server_error(shown + body[:2048].decode("utf-8", "replace"))
        return Refusal(error or Text("this is not an RSS or Atom document (it starts with {start})", start=repr(shown)))
    mime, _, params = (content_type or "").partition(";")
    pairs = (param.partition("=") for param in params.split(";"))
    charset = next((value for name, _, value in pairs if name.strip().lower() == "charset"), None)
    decoded = decode(body, charset)
    if not isinstance(decoded, Decoded):
        return Refusal(decoded)
    headers = {"content-type": "application/xml; charset=utf-8"}
    if base_url:
        headers["content-location"] = base_url
    try:
        # A stream, not bytes: feedparser treats a bytes argument that names a file or URL as one to open.
        data = io.BytesIO(decoded.text.encode("utf-8", "replace"))
        result = feedparser.parse(data, response_headers=headers, sanitize_html=True)
    except MemoryError:
        return Refusal(Text("the document needs too much memory to parse"))
    bozo = result.get("bozo_exception") if result.get("bozo") else None
    version = str(result.get("version") or "")
    feed = result.get("feed") or {}
    title = _text(feed.get("title"))
    if not version:
        if "html" in mime.lower() or _HTML_START.search(decoded.text[:4096]):
            page = Text("this is a web page, not an RSS or Atom feed (look for the site's feed link)")
            return Refusal(_server_error(decoded.text) or page)
        if bozo is not None:
            return Refusal(_server_error(decoded.text) or Text("the XML is malformed ({error})", error=str(bozo)))
        return Refusal(Text("no RSS or Atom content was found in the document"))
    items = tuple(_item(entry) for entry in result.get("entries") or ())
    usable = tuple(item for item in items if _usable(item))
    if bozo is not None and not items and (title is None or _server_error(decoded.text)):
        # Truncated or broken XML that gave nothing to follow: subscribing would make an "Untitled feed" of nothing.
        return Refusal(
            _server_error(decoded.text)
            or Text("the XML is broken and no item or feed title could be read from it ({error})", error=str(bozo))
        )
    if bozo is not None and len(usable) < len(items):
        return Refusal(Text("the XML is malformed ({error})", error=str(bozo)))
    image = feed.get("image") or {}
    warnings = [decoded.warning, f"recovered from an XML error ({bozo})" if bozo is not None else None]
    return ParsedFeed(
        format=version,
        title=title,
        link=_link(feed.get("link")),
        image=_link(image.get("href") or image.get("url")) if isinstance(image, dict) else None,
        items=usable,
        warning="; ".join(w for w in warnings if w) or None,
    )


def _parse_at(body: bytes, content_type: str | None, base_url: str | None) -> ParsedFeed | Refusal:
    return parse_document(body, content_type, base_url=base_url)


class FeedParser:
    """A small pool of parser processes with a per-document time budget.

    ``start()`` before use and ``close()`` at shutdown (or ``async with``). A parse that overruns its
    budget is abandoned: the pool is torn down (killing the stuck worker) and a fresh one takes its place.
    """

    def __init__(self, *, workers: int = 2, timeout: float = 10.0) -> None:
        self._workers = workers
        self._timeout = timeout
        self._pool: ProcessPoolExecutor | None = None
        self._context = multiprocessing.get_context("spawn")
        # Work is handed over only when a worker is free: the time budget is then the work's alone (not its wait
        # in the pool's queue), and replacing the pool never cancels work that was merely queued (which surfaced
        # as a CancelledError that stopped the whole poll; bench/loop_lag.py with 1,000 feeds).
        self._free_workers = asyncio.Semaphore(workers)

    async def __aenter__(self) -> FeedParser:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> None:
        """Create the worker pool (workers spawn on first use)."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self._workers, mp_context=self._context, initializer=_limit_memory
            )

    async def close(self) -> None:
        """Stop the workers; parses still running are abandoned."""
        pool, self._pool = self._pool, None
        if pool is not None:
            _kill(pool)
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)

    async def parse(
        self,
        body: bytes,
        *,
        content_type: str | None = None,
        base_url: str | None = None,
        time_budget: float | None = None,
    ) -> ParsedFeed:
        """Parse ``body`` off the event loop; raise ``NotAFeedError`` with a reason when it is unusable.

        ``time_budget`` overrides the pool's per-document budget for this call.
        """
        outcome = await self.run(_parse_at, body, content_type, base_url, time_budget=time_budget)
        if isinstance(outcome, Refusal):
            raise NotAFeedError(outcome.reason)
        return outcome

    async def run(self, work: Callable[..., T], *args: Any, time_budget: float | None = None) -> T:
        """Run ``work(*args)`` in a worker within the time budget; ``NotAFeedError`` if it overruns or crashes.

        For the CPU-heavy steps after parsing too (cleaning thousands of items), which would stall the loop.
        """
        budget = self._timeout if time_budget is None else time_budget
        async with self._free_workers:
            for attempt in range(2):
                pool = self._pool
                if pool is None:
                    raise RuntimeError("FeedParser.start() was not called")
                loop = asyncio.get_running_loop()
                future = loop.run_in_executor(pool, work, *args)
                try:
                    return await asyncio.wait_for(future, budget)
                except TimeoutError:
                    log.warning("%s overran %.1f s in a parser worker; replacing workers", work.__name__, budget)
                    self._replace(pool)
                    raise NotAFeedError(
                        Text("parsing took longer than {seconds} seconds", seconds=f"{budget:g}")
                    ) from None
                except BrokenProcessPool:
                    # Another parse's timeout (or a crash) tore the pool down under us: retry once on a new one.
                    self._replace(pool)
                    if attempt:
                        raise NotAFeedError(Text("the parser crashed on this document")) from None
                    continue
        raise AssertionError("unreachable")  # pragma: no cover

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        if self._pool is broken:
            self._pool = ProcessPoolExecutor(
                max_workers=self._workers, mp_context=self._context, initializer=_limit_memory
            )
        _kill(broken)
        broken.shutdown(wait=False, cancel_futures=True)


def _kill(pool: ProcessPoolExecutor) -> None:
    # The executor has no public way to stop a running task; its worker processes are the only handle.
    processes = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        if process.is_alive():
            process.kill()
