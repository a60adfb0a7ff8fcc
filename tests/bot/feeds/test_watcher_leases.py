"""Two Marquee processes polling one database's feeds: each feed fetched once per interval across them, and a poll
cut short hands its feeds on at once. On SQLite and PostgreSQL, two ``Database``s standing for two processes."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from pathlib import Path
from typing import Any

import db.feeds as store
from bot.feeds.fetch import Fetcher, FetchResult
from bot.feeds.parse import FeedParser
from bot.feeds.watcher import FeedWatcher
from fakediscord.feeds import FeedServer
from tests.helpers.cluster import node, two_processes

INTERVAL = timedelta(minutes=10)
RSS = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>{path}</title><item><guid>{path}-1</guid>'
    "<title>News at {path}</title><link>https://news.example{path}</link></item></channel></rss>"
)


class Started:
    """The fetcher, telling when a fetch has begun."""

    def __init__(self, inner: Fetcher) -> None:
        self.inner = inner
        self.fetching = asyncio.Event()

    async def fetch(self, url: str, **kwargs: Any) -> FetchResult:
        self.fetching.set()
        return await self.inner.fetch(url, **kwargs)


async def test_two_processes_fetch_each_due_feed_once(
    shared_store: Path | str, fetcher: Fetcher, parser: FeedParser, feed_server: FeedServer
) -> None:
    """With two processes polling at the same moment, each of 20 feeds is fetched once, not once per process."""
    paths = [f"/feed{n}" for n in range(20)]
    async with two_processes(shared_store) as (one, two):
        first = FeedWatcher(one, fetcher, parser, interval=INTERVAL, node=node("first"))
        second = FeedWatcher(two, fetcher, parser, interval=INTERVAL, node=node("second"))
        for n, path in enumerate(paths):
            feed_server.add(path, RSS.format(path=path))
            preview = await first.preview(feed_server.url(path))
            await first.subscribe(
                preview, guild_id=1, channel_id=100 + n, include="", exclude="", created_by=9, backfill=0
            )
        await store.make_all_due(one, first.now())
        before = len(feed_server.requests)
        polled = await asyncio.gather(first.poll_due(), second.poll_due())
    fetched = [request.path for request in feed_server.requests[before:]]
    assert sorted(fetched) == sorted(paths)  # each once
    assert sorted(outcome.url for outcomes in polled for outcome in outcomes) == sorted(map(feed_server.url, paths))


async def test_a_poll_cut_short_hands_its_feeds_to_another_process_at_once(
    shared_store: Path | str, fetcher: Fetcher, parser: FeedParser, feed_server: FeedServer
) -> None:
    """A process stopping mid-poll (a restart) gives back the feeds it had not finished: another polls them at once,
    not a lease later."""
    async with two_processes(shared_store) as (one, two):
        stopping = FeedWatcher(one, fetcher, parser, interval=INTERVAL, node=node("stopping"))
        feed_server.add("/slow", RSS.format(path="/slow"))
        preview = await stopping.preview(feed_server.url("/slow"))
        await stopping.subscribe(preview, guild_id=1, channel_id=100, include="", exclude="", created_by=9, backfill=0)
        feed_server.add("/slow", RSS.format(path="/slow"), delay=30.0)
        await store.make_all_due(one, stopping.now())
        stopping.fetcher = started = Started(fetcher)  # type: ignore[assignment]
        polling = asyncio.create_task(stopping.poll_due())
        await asyncio.wait_for(started.fetching.wait(), 10)  # it claimed the feed and is fetching it
        assert await store.due_feeds(two, stopping.now(), holder=node("other")) == []
        polling.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await polling
        (feed,) = await store.due_feeds(two, stopping.now(), holder=node("other"))
        assert feed.url == feed_server.url("/slow")
