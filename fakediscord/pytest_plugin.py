"""pytest plugin: a fresh, started ``FakeDiscord`` per test (``fake_discord_server`` fixture).

Register it from ``tests/conftest.py`` with ``pytest_plugins = ["fakediscord.pytest_plugin"]``. After the
test the fake's server and gateway are closed, so no socket, session or task outlives it. Pointing a
client at the fake is left to the project: it is a process-wide switch inside the client, and only the
project knows how its client is switched (wrap this fixture in one that does it, and undoes it).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from fakediscord.server import FakeDiscord


@pytest_asyncio.fixture
async def fake_discord_server() -> AsyncIterator[FakeDiscord]:
    """A started local Discord with a bot application and no guilds yet."""
    async with FakeDiscord() as fd:
        yield fd
