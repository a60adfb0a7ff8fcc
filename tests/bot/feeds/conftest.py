"""Fixtures for the feed watcher's core: a loopback feed server, an HTTP session, a fetcher, a parser."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import aiohttp
import pytest

from bot.feeds.fetch import Fetcher
from bot.feeds.parse import FeedParser
from fakediscord.feeds import FeedServer

USER_AGENT = "MarqueeTest/1.0 (+https://example.org/marquee; feed watcher tests)"
FETCHED_AT = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


@pytest.fixture
async def feed_server() -> AsyncIterator[FeedServer]:
    async with FeedServer() as server:
        yield server


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.fixture
def fetcher(session: aiohttp.ClientSession) -> Fetcher:
    """A fetcher allowed onto loopback (the feed server), with a short time budget for the trickle case."""
    return Fetcher(session, allow_private=True, user_agent=USER_AGENT, timeout=2.0)


@pytest.fixture
async def parser() -> AsyncIterator[FeedParser]:
    async with FeedParser(workers=1, timeout=30.0) as pool:
        yield pool
