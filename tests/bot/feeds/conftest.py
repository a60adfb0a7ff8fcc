"""Fixtures for the feed watcher's core: a fetcher allowed onto the loopback feed server, and a parser pool.

The feed server and the HTTP session are in ``tests/conftest.py``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.feeds.fetch import Fetcher
from bot.feeds.parse import FeedParser
from tests.helpers.feeds import USER_AGENT


@pytest.fixture
def fetcher(session: aiohttp.ClientSession) -> Fetcher:
    """A fetcher allowed onto loopback (the feed server), with a short time budget for the trickle case."""
    return Fetcher(session, allow_private=True, user_agent=USER_AGENT, timeout=2.0)


@pytest.fixture
async def parser() -> AsyncIterator[FeedParser]:
    async with FeedParser(workers=1, timeout=30.0) as pool:
        yield pool

