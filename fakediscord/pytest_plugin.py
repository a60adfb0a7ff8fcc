"""pytest plugin: a fresh, started ``FakeDiscord`` per test (``fake_discord`` fixture).

Register it from ``tests/conftest.py`` with ``pytest_plugins = ["fakediscord.pytest_plugin"]``. For the
test's duration discord.py is pointed at the fake (``bot.transport.point_discord_at``); afterwards the
fake's server and gateway are closed, so no socket, session or task outlives the test, and discord.py is
pointed back at the real Discord so one test's port never leaks into the next.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest_asyncio

from bot.transport import point_discord_at
from fakediscord.server import FakeDiscord

log = logging.getLogger(__name__)


@pytest_asyncio.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A started local Discord with a bot application and no guilds yet."""
    async with FakeDiscord() as fd:
        point_discord_at(fd.api_url, fd.gateway_url)
        try:
            yield fd
        finally:
            point_discord_at()
