"""``FeedServer``: a local web server of feeds, well-behaved and hostile, for tests and the demo.

``async with FeedServer() as fs`` listens on 127.0.0.1 (a free port). It serves the bundled fixture feeds
under ``/samples/<file>``, any feed a test registers with ``fs.add(path, body)``, and a set of hostile
endpoints under ``/hostile/…`` that misbehave the way real servers do (gone, rate-limited, endless
redirects, trickling bytes, 50 MB bodies, gzip bombs, HTML instead of XML …). Every request is counted per
path, so a test can assert that a 304 led to no parse or that a URL was fetched once per interval.
"""

from __future__ import annotations

import asyncio
import functools
import gzip
import hashlib
import logging
import struct
import zlib
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from importlib import resources

from aiohttp import web

from fakediscord.running import Running

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

RSS = "application/rss+xml; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"
HUGE_BYTES = 50 * 1024 * 1024
GZIP_BOMB_BYTES = 200 * 1024 * 1024
TRICKLE_INTERVAL = 0.2
RETRY_AFTER_SECONDS = 120
SAMPLE_WORDPRESS = "kdrama-dispatch-wordpress.xml"
SAMPLE_WORDPRESS_NEWER = "kdrama-dispatch-wordpress-newer.xml"
SAMPLE_GOOGLE_NEWS = "google-news-search.xml"
SAMPLE_REDDIT = "reddit-allofusaredead.xml"
SAMPLE_YOUTUBE = "youtube-channel.xml"
GOOD_SAMPLES = (SAMPLE_WORDPRESS, SAMPLE_WORDPRESS_NEWER, SAMPLE_GOOGLE_NEWS, SAMPLE_REDDIT, SAMPLE_YOUTUBE)
HOSTILE_PATHS = (
    "/hostile/404",
    "/hostile/410",
    "/hostile/500",
    "/hostile/429",
    "/hostile/loop",
    "/hostile/trickle",
    "/hostile/huge",
    "/hostile/huge-declared",
    "/hostile/gzip-bomb",
    "/hostile/malformed",
    "/hostile/html",
    "/hostile/wrong-charset",
    "/hostile/billion-laughs",
)
_BAD_DOCUMENTS = {
    "/hostile/malformed": ("bad-malformed.xml", RSS),
    "/hostile/html": ("bad-html-page.html", "text/html; charset=utf-8"),
    "/hostile/wrong-charset": ("bad-wrong-charset.xml", RSS),
    "/hostile/billion-laughs": ("bad-billion-laughs.xml", RSS),
}


def sample_bytes(name: str) -> bytes:
    """The bytes of a bundled fixture feed (``fakediscord/sample_feeds/<name>``)."""
    return resources.files("fakediscord").joinpath("sample_feeds", name).read_bytes()


def sample_names() -> list[str]:
    """Every bundled fixture file name."""
    folder = resources.files("fakediscord").joinpath("sample_feeds")
    return sorted(entry.name for entry in folder.iterdir() if entry.is_file())


def _content_type_for(name: str) -> str:
    if name.endswith(".html"):
        return "text/html; charset=utf-8"
    return ATOM if name.startswith(("reddit", "youtube")) else RSS


@functools.cache
def _gzip_bomb() -> bytes:
    """A gzip body of about 200 kB that expands to 200 MB of spaces.

    Compressing 200 MB takes over a second, long enough to race a test's fetch budget on a busy machine. After a
    full flush a deflate stream refers to nothing before it, so one compressed 1 MB block can be repeated as is.
    """
    head = b'<?xml version="1.0"?><rss version="2.0"><channel><title>'
    block = b" " * (1024 * 1024)
    count = GZIP_BOMB_BYTES // len(block)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    start = deflate.compress(head) + deflate.flush(zlib.Z_FULL_FLUSH)
    one_block = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    size = len(head) + count * len(block)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # gzip, deflate, no name, no mtime
    trailer = struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF)
    return header + start + one_block * count + deflate.flush() + trailer


@dataclass
class Document:
    """A registered response: body and the validators and encoding it is served with."""

    body: bytes
    content_type: str = RSS
    etag: str | None = None
    last_modified: datetime | None = None
    gzip: bool = False
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class SeenRequest:
    """One request as the server received it."""

    path: str
    headers: dict[str, str]
    status: int


class FeedServer(Running):
    """A loopback feed server; see the module docstring for what it serves."""

    def __init__(self) -> None:
        self._documents: dict[str, Document] = {}
        self._redirects: dict[str, tuple[str, int]] = {}
        self._runner: web.AppRunner | None = None
        self._hits: Counter[str] = Counter()
        self.requests: list[SeenRequest] = []
        self.in_flight = 0
        self.peak_in_flight = 0
        self.port = 0

    # --- lifecycle --------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(middlewares=[self._count])
        app.router.add_get("/samples/{name}", self._sample)
        app.router.add_get("/hostile/404", self._status_page(404))
        app.router.add_get("/hostile/410", self._status_page(410))
        app.router.add_get("/hostile/500", self._status_page(500))
        app.router.add_get("/hostile/429", self._too_many_requests)
        app.router.add_get("/hostile/loop", self._loop_a)
        app.router.add_get("/hostile/loop-b", self._loop_b)
        app.router.add_get("/hostile/trickle", self._trickle)
        app.router.add_get("/hostile/huge", self._huge)
        app.router.add_get("/hostile/huge-declared", self._huge)
        app.router.add_get("/hostile/gzip-bomb", self._gzip_bomb)
        for path in _BAD_DOCUMENTS:
            app.router.add_get(path, self._bad_document)
        app.router.add_get("/{tail:.*}", self._registered)
        self._runner = web.AppRunner(
            app, handle_signals=False, access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        log.info("feed server listening on %s", self.url("/"))

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- test-facing API --------------------------------------------------------------------------

    def url(self, path: str) -> str:
        """The full address of ``path`` on this server."""
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def add(
        self,
        path: str,
        body: bytes | str,
        *,
        content_type: str = RSS,
        etag: str | bool = True,
        last_modified: datetime | None = None,
        gzip: bool = False,
        status: int = 200,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> Document:
        """Serve ``body`` at ``path`` (replacing what was there, as a feed update does).

        ``etag=True`` derives an ETag from the body, a string sets it, ``False`` sends none.
        ``gzip`` compresses the body for clients that accept it. ``headers`` are sent as given
        (``Cache-Control``, ``Retry-After`` …). ``delay`` holds each answer back that many seconds (to
        observe concurrency limits).
        """
        data = body.encode("utf-8") if isinstance(body, str) else body
        tag = f'"{hashlib.sha256(data).hexdigest()[:16]}"' if etag is True else (etag or None)
        document = Document(data, content_type, tag, last_modified, gzip, status, dict(headers or {}), delay)
        self._documents["/" + path.lstrip("/")] = document
        return document

    def add_sample(
        self,
        path: str,
        name: str,
        *,
        etag: str | bool = True,
        last_modified: datetime | None = None,
        gzip: bool = False,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> Document:
        """Serve the bundled fixture ``name`` at ``path`` with its RSS or Atom content type (as for ``add``).

        Serving ``kdrama-dispatch-wordpress-newer.xml`` at a path that served ``kdrama-dispatch-wordpress.xml``
        is how the demo and the tests make new articles appear.
        """
        return self.add(
            path,
            sample_bytes(name),
            content_type=_content_type_for(name),
            etag=etag,
            last_modified=last_modified,
            gzip=gzip,
            headers=headers,
            delay=delay,
        )

    def add_redirect(self, path: str, location: str, *, status: int = 302) -> None:
        """Answer ``path`` with a redirect to ``location`` (absolute, or a path on this server)."""
        self._redirects["/" + path.lstrip("/")] = (location, status)

    def remove(self, path: str) -> None:
        """Stop serving ``path`` (it answers 404 from now on)."""
        self._documents.pop("/" + path.lstrip("/"), None)
        self._redirects.pop("/" + path.lstrip("/"), None)

    def hits(self, path: str) -> int:
        """How many requests ``path`` received (any answer)."""
        return self._hits["/" + path.lstrip("/")]

    def answered(self, path: str, status: int) -> int:
        """How many requests to ``path`` were answered with ``status`` (e.g. 304)."""
        path = "/" + path.lstrip("/")
        return sum(1 for r in self.requests if r.path == path and r.status == status)

    # --- handlers ---------------------------------------------------------------------------------

    @web.middleware
    async def _count(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        self._hits[request.path] += 1
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        status = 0
        try:
            response: web.StreamResponse = await handler(request)
            status = response.status
            return response
        except web.HTTPException as exc:
            status = exc.status
            raise
        finally:
            self.in_flight -= 1
            self.requests.append(SeenRequest(request.path, dict(request.headers), status))

    async def _registered(self, request: web.Request) -> web.StreamResponse:
        if request.path in self._redirects:
            location, status = self._redirects[request.path]
            return web.Response(status=status, headers={"Location": location})
        document = self._documents.get(request.path)
        if document is None:
            return web.Response(status=404, text="no feed here")
        if document.delay:
            await asyncio.sleep(document.delay)
        return self._serve(request, document)

    async def _sample(self, request: web.Request) -> web.StreamResponse:
        """A bundled fixture, gzip-compressed for clients that accept it, with an ETag."""
        name = request.match_info["name"]
        if name not in sample_names():
            return web.Response(status=404, text="no such sample")
        body = sample_bytes(name)
        tag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
        return self._serve(request, Document(body, _content_type_for(name), tag, gzip=True))

    @staticmethod
    def _serve(request: web.Request, document: Document) -> web.StreamResponse:
        headers = dict(document.headers)
        if document.etag:
            headers["ETag"] = document.etag
        if document.last_modified:
            headers["Last-Modified"] = format_datetime(document.last_modified.astimezone(UTC), usegmt=True)
        if document.status == 200 and _not_modified(request, document):
            return web.Response(status=304, headers=headers)
        body = document.body
        if document.gzip and "gzip" in request.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        headers["Content-Type"] = document.content_type
        return web.Response(status=document.status, body=body, headers=headers)

    @staticmethod
    def _status_page(status: int) -> Handler:
        async def handler(request: web.Request) -> web.StreamResponse:
            return web.Response(status=status, text=f"{status} from the feed server")

        return handler

    @staticmethod
    async def _too_many_requests(request: web.Request) -> web.StreamResponse:
        return web.Response(status=429, text="slow down", headers={"Retry-After": str(RETRY_AFTER_SECONDS)})

    @staticmethod
    async def _loop_a(request: web.Request) -> web.StreamResponse:
        return web.Response(status=302, headers={"Location": "/hostile/loop-b"})

    @staticmethod
    async def _loop_b(request: web.Request) -> web.StreamResponse:
        return web.Response(status=301, headers={"Location": "/hostile/loop"})

    @staticmethod
    async def _trickle(request: web.Request) -> web.StreamResponse:
        """A feed that arrives one byte at a time, forever (until the client gives up)."""
        response = web.StreamResponse(headers={"Content-Type": RSS})
        await response.prepare(request)
        await response.write(b'<?xml version="1.0"?><rss version="2.0"><channel><title>Slow')
        for _ in range(3000):
            await asyncio.sleep(TRICKLE_INTERVAL)
            await response.write(b".")
        return response

    @staticmethod
    async def _huge(request: web.Request) -> web.StreamResponse:
        """50 MB of feed, streamed from one reused block (never held in memory)."""
        headers = {"Content-Type": RSS}
        if request.path.endswith("declared"):
            headers["Content-Length"] = str(HUGE_BYTES)
        response = web.StreamResponse(headers=headers)
        await response.prepare(request)
        block = b"<!-- padding -->" * 4096
        head = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Huge</title>'
        await response.write(head)
        sent = len(head)
        while sent + len(block) <= HUGE_BYTES:
            await response.write(block)
            sent += len(block)
        await response.write(b" " * (HUGE_BYTES - sent))
        return response

    @staticmethod
    async def _gzip_bomb(request: web.Request) -> web.StreamResponse:
        body = await asyncio.to_thread(_gzip_bomb)
        return web.Response(body=body, headers={"Content-Type": RSS, "Content-Encoding": "gzip"})

    @staticmethod
    async def _bad_document(request: web.Request) -> web.StreamResponse:
        name, content_type = _BAD_DOCUMENTS[request.path]
        return web.Response(body=sample_bytes(name), headers={"Content-Type": content_type})


def _not_modified(request: web.Request, document: Document) -> bool:
    match = request.headers.get("If-None-Match")
    if match is not None and document.etag is not None:
        return document.etag in {tag.strip() for tag in match.split(",")} or match.strip() == "*"
    since = request.headers.get("If-Modified-Since")
    if since and document.last_modified is not None:
        try:
            when = parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError):
            return False
        return document.last_modified.replace(microsecond=0) <= when
    return False
