"""Fixtures for the cogs' end-to-end tests: the news desk (Marquee with the feeds cog and a local feed server).

The fan server (``server``), the fake Discord and the feed server are in ``tests/conftest.py``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from fakediscord.feeds import FeedServer
from fakediscord.server import FakeDiscord
from tests.helpers.marquee import fan_server, marquee_settings
from tests.helpers.newsdesk import FEEDS_ONLY, NewsDesk, feeds_bot, feeds_cog


@pytest.fixture
def desk_extensions() -> tuple[str, ...]:
    """The extensions the news desk's Marquee loads; a module that needs more overrides this fixture."""
    return FEEDS_ONLY


@pytest_asyncio.fixture
async def desk(
    fake_discord: FakeDiscord, feed_server: FeedServer, tmp_path: Path, desk_extensions: tuple[str, ...]
) -> AsyncIterator[NewsDesk]:
    """Marquee with FEEDS_ALLOW_PRIVATE_NETWORKS on (the feeds are on loopback) and a short fetch budget."""
    guild, fan, mod = fan_server(fake_discord)
    settings = marquee_settings(fake_discord, tmp_path, FEEDS_ALLOW_PRIVATE_NETWORKS="1")
    async with feeds_bot(settings, desk_extensions) as bot:
        yield NewsDesk(fake_discord, bot, feeds_cog(bot), feed_server, guild, fake_discord.general(guild), fan, mod)
