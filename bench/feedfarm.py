"""Local news feeds for the polling benchmarks: plausible RSS documents served from several loopback addresses.

Feeds are spread over several addresses (127.0.0.2, 127.0.0.3 …) so the fetcher's per-host limit sees several
hosts, as it would on the web; each answer carries an ETag, is gzipped when asked, and is held back a fixed time
standing in for the network. Everything listens on loopback only.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from types import TracebackType
from typing import Self

from aiohttp import web

_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def rss_document(feed: int, version: int, *, items: int = 20, summary_bytes: int = 300, host: str = "") -> bytes:
    """A plausible news feed: ``items`` entries, newest first; each version adds one entry on top."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>',
        f"<title>Drama desk {feed}</title><link>https://news{feed % 97}.example/</link>",
        "<description>Entertainment news from a local test outlet</description>",
    ]
    filler = ("Production notes, casting rumours and interviews from the set. " * (summary_bytes // 64 + 1))[
        :summary_bytes
    ]
    for k in range(version + items - 1, version - 1, -1):
        when = format_datetime(_EPOCH + timedelta(hours=k), usegmt=True)
        parts.append(
            f"<item><title>Desk {feed} report {k}: what the cast said this week</title>"
            f"<link>https://news{feed % 97}.example/{feed}/story-{k}</link>"
            f'<guid isPermaLink="false">desk-{feed}-{k}</guid><pubDate>{when}</pubDate>'
            f"<description>{filler}</description></item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()


def big_document(feed: int, size: int, *, full_text: bool) -> bytes:
    """A feed of about ``size`` bytes: a long archive of short items, or a few items carrying whole articles."""
    items, summary = (40, size // 40) if full_text else (size // 1100, 900)
    return rss_document(feed, 0, items=max(1, items), summary_bytes=summary)


@dataclass
class _Doc:
    body: bytes
    gzipped: bytes
    etag: str


@dataclass
class FarmStats:
    requests: int = 0
    body_bytes: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    peak_per_host: int = 0
    peak_total: int = 0


class FeedFarm:
    """Local news feeds on ``hosts`` loopback addresses, with ETags, gzip and a per-request latency.

    ``latency`` holds every answer back that long, standing in for the network and the far server; without it
    a loopback server answers so fast that no two requests overlap and concurrency could not be observed.
    """

    def __init__(self, hosts: int = 50, latency: float = 0.05) -> None:
        self.hosts = [f"127.0.0.{2 + i}" for i in range(hosts)]
        self.latency = latency
        self.stats = FarmStats()
        self._docs: dict[tuple[str, str], _Doc] = {}
        self._versions: dict[int, int] = {}
        self._in_flight: Counter[str] = Counter()
        self._runners: list[web.AppRunner] = []
        self._ports: dict[str, int] = {}

    async def __aenter__(self) -> Self:
        for host in self.hosts:
            app = web.Application()
            app.router.add_get("/{tail:.*}", self._serve)
            runner = web.AppRunner(app, handle_signals=False, access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, host, 0, backlog=512)
            await site.start()
            self._ports[host] = runner.addresses[0][1]
            self._runners.append(runner)
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for runner in self._runners:
            await runner.cleanup()

    def host_of(self, feed: int) -> str:
        return self.hosts[feed % len(self.hosts)]

    def url(self, feed: int) -> str:
        host = self.host_of(feed)
        return f"http://{host}:{self._ports[host]}/feeds/{feed}.xml"

    def put(self, feed: int, body: bytes) -> None:
        tag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        self._docs[(self.host_of(feed), f"/feeds/{feed}.xml")] = _Doc(body, gzip.compress(body, 6), tag)

    def body(self, feed: int) -> bytes:
        return self._docs[(self.host_of(feed), f"/feeds/{feed}.xml")].body

    def add_news(self, feed: int) -> None:
        """Serve a standard feed, or publish one more item in it."""
        version = self._versions.get(feed, -1) + 1
        self._versions[feed] = version
        self.put(feed, rss_document(feed, version))

    def change(self, feeds: Iterable[int]) -> None:
        for feed in feeds:
            self.add_news(feed)

    def reset_stats(self) -> None:
        self.stats = FarmStats()

    async def _serve(self, request: web.Request) -> web.StreamResponse:
        host = request.url.host or ""
        self._in_flight[host] += 1
        self.stats.peak_per_host = max(self.stats.peak_per_host, self._in_flight[host])
        self.stats.peak_total = max(self.stats.peak_total, sum(self._in_flight.values()))
        self.stats.requests += 1
        try:
            if self.latency:
                await asyncio.sleep(self.latency)
            doc = self._docs.get((host, request.path))
            if doc is None:
                response = web.Response(status=404, text="no feed here")
            elif doc.etag in request.headers.get("If-None-Match", ""):
                response = web.Response(status=304, headers={"ETag": doc.etag})
            else:
                zipped = "gzip" in request.headers.get("Accept-Encoding", "")
                body = doc.gzipped if zipped else doc.body
                headers = {"ETag": doc.etag, "Content-Type": "application/rss+xml; charset=utf-8"}
                if zipped:
                    headers["Content-Encoding"] = "gzip"
                self.stats.body_bytes += len(body)
                response = web.Response(body=body, headers=headers)
            self.stats.statuses[response.status] += 1
            return response
        finally:
            self._in_flight[host] -= 1


def choose(rng: random.Random, values: Sequence[int], fraction: float) -> list[int]:
    """A random ``fraction`` of ``values`` (the feeds that publish something before the next cycle)."""
    return rng.sample(list(values), round(len(values) * fraction))
