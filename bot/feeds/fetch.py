"""Polite, bounded HTTP fetching of feeds.

A feed URL is typed by a stranger, so the server at the other end may be slow, huge, hostile or simply
gone. The fetcher never raises for any of that: it returns a ``FetchResult`` whose ``error`` and ``reason``
say what happened, so one bad feed is logged and backed off while the others keep flowing.
"""

from __future__ import annotations

import asyncio
import enum
import errno
import ipaddress
import logging
import re
import socket
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from bot.feeds.urls import FeedURLError, PrivateAddressError, Resolver, check_public, host_of, refusal_reason

log = logging.getLogger(__name__)

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK_SIZE = 64 * 1024
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"


class FetchError(enum.Enum):
    """Why a fetch produced no feed; the scheduler and ``/feeds status`` read these."""

    BAD_URL = "bad_url"
    BLOCKED_ADDRESS = "blocked_address"
    HTTP_STATUS = "http_status"
    TIMEOUT = "timeout"
    TOO_LARGE = "too_large"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    REDIRECT_LOOP = "redirect_loop"
    BAD_ENCODING = "bad_encoding"
    NETWORK = "network"


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one fetch of one feed URL produced.

    ``body`` is the decompressed document on a 200, ``None`` on a 304 or any failure. ``retry_after`` and
    ``max_age`` are seconds the server asked us to wait; the scheduler treats them as lower bounds.
    ``final_url`` is where the last redirect led; ``content_location`` the document's own address when the
    server named one (resolved against ``final_url``); ``charset`` is the header's, ``None`` when it names none
    (the document's declaration then decides, RFC 7303).
    """

    url: str
    final_url: str
    status: int | None
    body: bytes | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    charset: str | None = None
    retry_after: float | None = None
    max_age: float | None = None
    error: FetchError | None = None
    reason: str = ""
    permanent_redirect: str | None = None
    content_location: str | None = None

    @property
    def ok(self) -> bool:
        """The server answered with a document or confirmed the one we have (304)."""
        return self.error is None

    @property
    def base_url(self) -> str:
        """The address the document's relative links are relative to (RFC 3986 §5.1.2: its own, else the URL)."""
        return self.content_location or self.final_url

    @property
    def not_modified(self) -> bool:
        """The server said nothing changed since our last fetch: nothing to parse."""
        return self.error is None and self.status == 304


class _TooLarge(Exception):
    pass


class _HostLimiter:
    """One semaphore per host, dropped when no request to that host is in flight."""

    def __init__(self, per_host: int) -> None:
        self._per_host = per_host
        self._semaphores: dict[str, asyncio.Semaphore] = {}
        self._users: dict[str, int] = {}

    @asynccontextmanager
    async def hold(self, host: str) -> AsyncIterator[None]:
        semaphore = self._semaphores.setdefault(host, asyncio.Semaphore(self._per_host))
        self._users[host] = self._users.get(host, 0) + 1
        try:
            async with semaphore:
                yield
        finally:
            self._users[host] -= 1
            if self._users[host] == 0:
                del self._users[host]
                del self._semaphores[host]


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date); ``None`` if absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


_MAX_AGE = re.compile(r"(?:^|[,\s])(?:s-)?max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


def parse_max_age(cache_control: str | None) -> float | None:
    """The ``max-age`` of a ``Cache-Control`` header in seconds; ``None`` when absent or ``no-cache``."""
    if not cache_control or "no-cache" in cache_control.lower():
        return None
    found = _MAX_AGE.search(cache_control)
    return float(found.group(1)) if found else None


# How a plain XML document starts (after an optional BOM and whitespace); no gzip or zlib stream starts so.
_XML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<(?:\?xml|!--|!doctype|[a-z_])", re.IGNORECASE)
_SNIFF_BYTES = 64


class _Decoder:
    """Decompresses a body incrementally and refuses to produce more than ``limit`` bytes.

    The limit applies to the decompressed size: a 200 kB gzip body can expand to gigabytes. A body that the
    header calls compressed but that starts like plain XML (a server or plug-in that labels what it did not
    compress) is taken as it is, as feedparser and browsers do; anything else that fails to decompress fails.
    """

    def __init__(self, encoding: str, limit: int) -> None:
        self._limit = limit
        self._size = 0
        self._parts: list[bytes] = []
        self._encoding = encoding.strip().lower()
        self._started = False
        self._head = b""
        if self._encoding in ("", "identity"):
            self._z = None
        elif self._encoding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self._encoding == "deflate":
            self._z = zlib.decompressobj(zlib.MAX_WBITS)
        else:
            raise zlib.error(f"unsupported content encoding {encoding!r}")

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._limit:
            raise _TooLarge
        self._parts.append(data)

    def feed(self, chunk: bytes) -> None:
        if self._z is not None and not self._started:
            # Hold the first bytes back until there are enough to tell plain XML from a compressed stream.
            self._head += chunk
            if len(self._head) < _SNIFF_BYTES:
                return
            chunk, self._head = self._head, b""
            self._sniff(chunk)
        self._take(chunk)

    def _sniff(self, head: bytes) -> None:
        if _XML_START.match(head) and not head.startswith(b"\x1f\x8b"):
            log.info("a body labelled %s is plain XML; reading it as it is", self._encoding)
            self._z = None

    def _take(self, chunk: bytes) -> None:
        if self._z is None:
            self._keep(chunk)
            return
        if not self._started and self._encoding == "deflate":
            # Some servers send raw deflate without the zlib header the standard asks for.
            try:
                zlib.decompressobj(zlib.MAX_WBITS).decompress(chunk[:64], 1)
            except zlib.error:
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
        self._started = True
        data = chunk
        while data and not self._z.eof:
            out = self._z.decompress(data, self._limit - self._size + 1)
            self._keep(out)
            data = self._z.unconsumed_tail

    def finish(self) -> bytes:
        if self._head:  # a body shorter than the sniffing window
            head, self._head = self._head, b""
            self._sniff(head)
            self._take(head)
        if self._z is not None:
            self._keep(self._z.flush())
        return b"".join(self._parts)


class PublicOnlyResolver(AbstractResolver):
    """DNS for the feed session that never hands aiohttp a non-public address.

    ``check_public`` looks a host up before each request, but aiohttp looks it up again to connect; a host
    whose DNS answer changes in between (DNS rebinding) would slip through. Giving the feed session's
    connector this resolver (``aiohttp.TCPConnector(resolver=PublicOnlyResolver())``) closes that gap:
    private answers are dropped, and a host with only private answers fails to connect.
    """

    def __init__(self, inner: AbstractResolver | None = None) -> None:
        self._inner = inner or aiohttp.ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        answers = await self._inner.resolve(host, port, family)
        public = [a for a in answers if refusal_reason(ipaddress.ip_address(a["host"].split("%", 1)[0])) is None]
        if not public:
            raise OSError(errno.EHOSTUNREACH, f"{host} resolves only to non-public addresses")
        return public

    async def close(self) -> None:
        await self._inner.close()


def _charset_of(content_type: str | None) -> tuple[str | None, str | None]:
    if not content_type:
        return None, None
    mime, _, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'").lower()
    return mime.strip().lower() or None, charset


class Fetcher:
    """Fetches feed URLs within fixed limits on size, time, redirects and concurrency.

    ``session`` is owned by the caller (start-up opens one for the whole bot). Redirects are followed by
    hand so each hop is checked against the private-network rule before anything is sent to it.
    ``resolver`` replaces DNS for that check (tests use it); it does not change where aiohttp connects.
    """

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        allow_private: bool,
        user_agent: str,
        per_host: int = 2,
        total: int = 16,
        max_bytes: int = 5_000_000,
        timeout: float = 20.0,
        max_redirects: int = 5,
        resolver: Resolver | None = None,
    ) -> None:
        self._session = session
        self._allow_private = allow_private
        self._user_agent = user_agent
        self._max_bytes = max_bytes
        self._timeout = timeout
        self._max_redirects = max_redirects
        self._resolver = resolver
        self._global = asyncio.Semaphore(total)
        self._hosts = _HostLimiter(per_host)

    async def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """Fetch ``url`` once (conditionally when ``etag``/``last_modified`` are known); never raises.

        Waiting for a free slot (global, then the feed's host) does not count against the time budget, so a
        queue of feeds on one busy host does not time out before it is even asked.
        """
        first_host = host_of(url)
        async with self._global, self._hosts.hold(first_host):
            try:
                async with asyncio.timeout(self._timeout):
                    result = await self._follow(url, etag, last_modified, first_host)
            except TimeoutError:
                result = FetchResult(
                    url=url,
                    final_url=url,
                    status=None,
                    error=FetchError.TIMEOUT,
                    reason=f"no complete answer within {self._timeout:g} seconds",
                )
        log.debug("fetched %s: %s (%s)", url, result.status, result.reason)
        return result

    async def _follow(self, url: str, etag: str | None, last_modified: str | None, held: str) -> FetchResult:
        current = url
        seen = {url}
        moved_for_good = True
        hops = 0
        while True:
            failure = await self._refuse(url, current)
            if failure is not None:
                return failure
            if host_of(current) == held:
                result = await self._request(url, current, etag, last_modified)
            else:
                async with self._hosts.hold(host_of(current)):
                    result = await self._request(url, current, etag, last_modified)
            if isinstance(result, FetchResult):
                if hops and moved_for_good and result.ok:
                    return replace(result, permanent_redirect=current)
                return result
            status, location = result
            hops += 1
            target = urljoin(current, location)
            if target in seen:
                return FetchResult(
                    url=url,
                    final_url=current,
                    status=status,
                    error=FetchError.REDIRECT_LOOP,
                    reason=f"redirect loop: {current} sends us back to {target}",
                )
            if hops > self._max_redirects:
                return FetchResult(
                    url=url,
                    final_url=current,
                    status=status,
                    error=FetchError.TOO_MANY_REDIRECTS,
                    reason=f"more than {self._max_redirects} redirects",
                )
            moved_for_good = moved_for_good and status in (301, 308)
            seen.add(target)
            current = target

    async def _refuse(self, url: str, current: str) -> FetchResult | None:
        try:
            await check_public(current, allow_private=self._allow_private, resolver=self._resolver)
        except PrivateAddressError as exc:
            return FetchResult(
                url=url, final_url=current, status=None, error=FetchError.BLOCKED_ADDRESS, reason=str(exc)
            )
        except FeedURLError as exc:
            return FetchResult(url=url, final_url=current, status=None, error=FetchError.BAD_URL, reason=str(exc))
        return None

    async def _request(
        self, url: str, current: str, etag: str | None, last_modified: str | None
    ) -> FetchResult | tuple[int, str]:
        headers = {
            "User-Agent": self._user_agent,
            "Accept": ACCEPT,
            "Accept-Encoding": "gzip, deflate",
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            async with self._session.get(
                current, headers=headers, allow_redirects=False, auto_decompress=False
            ) as response:
                return await self._read(url, current, response)
        except (aiohttp.InvalidURL, ValueError) as exc:
            return FetchResult(
                url=url, final_url=current, status=None, error=FetchError.BAD_URL, reason=f"bad URL: {exc}"
            )
        except (aiohttp.ClientError, OSError) as exc:
            reason = str(exc) or type(exc).__name__
            return FetchResult(
                url=url, final_url=current, status=None, error=FetchError.NETWORK, reason=f"network: {reason}"
            )

    async def _read(self, url: str, current: str, response: aiohttp.ClientResponse) -> FetchResult | tuple[int, str]:
        status = response.status
        location = response.headers.get("Location")
        if status in REDIRECT_STATUSES and location:
            return status, location
        mime, charset = _charset_of(response.headers.get("Content-Type"))
        location_header = response.headers.get("Content-Location", "").strip()
        common = FetchResult(
            url=url,
            final_url=current,
            status=status,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            content_type=mime,
            charset=charset,
            retry_after=parse_retry_after(response.headers.get("Retry-After")),
            max_age=parse_max_age(response.headers.get("Cache-Control")),
            content_location=urljoin(current, location_header) if location_header else None,
        )
        if status == 304:
            return replace(common, reason="not modified")
        if status not in (200, 203):
            return replace(
                common,
                error=FetchError.HTTP_STATUS,
                reason=f"HTTP {status} {response.reason or ''}".strip(),
            )
        declared = response.content_length
        if declared is not None and declared > self._max_bytes:
            return replace(
                common,
                error=FetchError.TOO_LARGE,
                reason=f"the server announced {declared:,} bytes; the limit is {self._max_bytes:,} bytes",
            )
        try:
            decoder = _Decoder(response.headers.get("Content-Encoding", ""), self._max_bytes)
            received = 0
            async for chunk in response.content.iter_chunked(CHUNK_SIZE):
                received += len(chunk)
                if received > self._max_bytes:
                    raise _TooLarge
                decoder.feed(chunk)
            body = decoder.finish()
        except _TooLarge:
            return replace(
                common,
                error=FetchError.TOO_LARGE,
                reason=f"the feed is larger than {self._max_bytes:,} bytes (stopped reading)",
            )
        except zlib.error as exc:
            return replace(
                common,
                error=FetchError.BAD_ENCODING,
                reason=f"the compressed body could not be decoded ({exc})",
            )
        return replace(common, body=body, reason=f"{len(body):,} bytes")
