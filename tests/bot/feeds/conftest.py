"""Fixtures for the feed watcher's core: a fetcher allowed onto the loopback feed server, and a parser pool.

The feed server and the HTTP session are in ``tests/conftest.py``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.feeds.fetch import Fetcher
from bot.feeds.parse import FeedParser


@pytest.fixture
def user_agent() -> str:
    """The User-Agent the tests' fetchers send."""
    return "MarqueeTest/1.0 (+https://example.org/marquee; feed watcher tests)"


@pytest.fixture
def fetcher(session: aiohttp.ClientSession, user_agent: str) -> Fetcher:
    """A fetcher allowed onto loopback (the feed server), with a short time budget for the trickle case."""
    return Fetcher(session, allow_private=True, user_agent=user_agent, timeout=2.0)


@pytest.fixture
async def parser() -> AsyncIterator[FeedParser]:
    async with FeedParser(workers=1, timeout=30.0) as pool:
        yield pool
