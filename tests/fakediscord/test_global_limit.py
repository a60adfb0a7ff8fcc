"""The global rate limit belongs to a bot token: every process using the token shares it, another token has its own."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from fakediscord.server import FakeDiscord
from tests.helpers.rawapi import send

WINDOW = 30.0
"""Discord's 50 requests in a window stretched from 1 s to 30 s, so the count never depends on how fast the
machine answers; ``clock.advance`` ends it."""


class BotProcess:
    """One bot process's HTTP connection pool: its own keep-alive connections, with a token."""

    def __init__(self, fd: FakeDiscord, token: str) -> None:
        self.fd = fd
        self.http = aiohttp.ClientSession(headers={"Authorization": f"Bot {token}"})

    async def me(self) -> tuple[int, Any]:
        async with self.http.get(f"{self.fd.api_url}/users/@me") as resp:
            return resp.status, await resp.json()

    async def burst(self, count: int) -> list[int]:
        """``count`` requests at once, as a busy process sends them; their statuses."""
        answers = await asyncio.gather(*(self.me() for _ in range(count)))
        return [status for status, _ in answers]


@pytest.fixture
async def processes(fake_discord: FakeDiscord) -> AsyncIterator[list[BotProcess]]:
    """Two processes of the bot on the same token, and one of another application; closed after."""
    fake_discord.ratelimits.config.global_window = WINDOW
    other = fake_discord.add_application("Other bot")
    started = [BotProcess(fake_discord, fake_discord.token) for _ in range(2)] + [BotProcess(fake_discord, other)]
    yield started
    for process in started:
        await process.http.close()


async def test_two_processes_on_one_token_share_the_global_limit(
    fake_discord: FakeDiscord, processes: list[BotProcess]
) -> None:
    """Two processes on one token, sending 30 and 21 requests, are each within the limit alone, but the 51st request
    between them gets a global 429, as Discord judges a token and not a connection."""
    first, second, _ = processes
    statuses = await asyncio.gather(first.burst(30), second.burst(20))
    assert [s for batch in statuses for s in batch] == [200] * 50
    status, body = await second.me()
    assert status == 429
    assert body["global"] is True and 0 < body["retry_after"] <= WINDOW
    assert [s for s in await first.burst(10) if s != 429] == []
    fake_discord.clock.advance(WINDOW)
    assert await first.burst(1) == [200]


async def test_another_application_keeps_its_own_budget(fake_discord: FakeDiscord, processes: list[BotProcess]) -> None:
    """A second application's bot is not slowed by the first one's spent budget, and spends its own 50."""
    first, _, other = processes
    assert set(await first.burst(51)) == {200, 429}
    assert await other.burst(50) == [200] * 50
    assert (await other.me())[0] == 429


async def test_limited_bodies_are_shaped_like_discords(fake_discord: FakeDiscord, processes: list[BotProcess]) -> None:
    """A 429 body, global or per route, has exactly Discord's fields: message, retry_after, global and code 0."""
    first, _, _ = processes
    await first.burst(50)
    _, global_body = await first.me()
    fake_discord.clock.advance(WINDOW)
    channel = fake_discord.general(fake_discord.add_guild("AOUAD Fans"))
    route_body = [(await send(fake_discord, channel.id, {"content": str(i)})).body for i in range(6)][-1]
    for body, is_global in ((global_body, True), (route_body, False)):
        assert set(body) == {"message", "retry_after", "global", "code"}
        assert (body["message"], body["global"], body["code"]) == ("You are being rate limited.", is_global, 0)
