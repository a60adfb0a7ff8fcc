"""Discord's rate limits: headers, 429 bodies, the global budget and the invalid-request counter."""

from __future__ import annotations

import discord

from fakediscord.ratelimits import SEND_MESSAGE_ROUTE, RateLimitConfig
from fakediscord.server import FakeDiscord
from tests.helpers.rawapi import call, send
from tests.helpers.tinybot import TinyBot, running


async def test_sixth_send_in_five_seconds_is_limited(fake_discord: FakeDiscord) -> None:
    """Five sends per channel per 5 s pass with counting headers; the sixth gets Discord's 429."""
    fd = fake_discord
    channel = fd.general(fd.add_guild("AOUAD Fans"))
    answers = [await send(fd, channel.id, {"content": str(i)}) for i in range(6)]
    assert [a.status for a in answers] == [200] * 5 + [429]
    assert [a.headers["X-RateLimit-Remaining"] for a in answers[:5]] == ["4", "3", "2", "1", "0"]
    assert answers[0].headers["X-RateLimit-Limit"] == "5"
    assert len({a.headers["X-RateLimit-Bucket"] for a in answers}) == 1
    limited = answers[5]
    assert limited.body["global"] is False and 0 < limited.body["retry_after"] <= 5
    assert limited.body["message"] == "You are being rate limited."
    assert limited.headers["Via"] == "1.1 google" and limited.headers["X-RateLimit-Scope"] == "user"
    assert int(limited.headers["Retry-After"]) >= 1
    assert len(fd.messages(channel)) == 5


async def test_buckets_are_per_channel_and_reset(fake_discord: FakeDiscord) -> None:
    """Another channel has its own budget, and the window resets once its time has passed."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    general, news = fd.general(guild), fd.add_channel(guild, "news")
    for i in range(5):
        await send(fd, general.id, {"content": str(i)})
    assert (await send(fd, news.id, {"content": "other channel"})).status == 200
    assert (await send(fd, general.id, {"content": "too soon"})).status == 429
    fd.clock.advance(5.0)
    assert (await send(fd, general.id, {"content": "next window"})).status == 200


async def test_global_limit(fake_discord: FakeDiscord) -> None:
    """Past the global budget every route answers 429 with global true; interactions are exempt."""
    fd = fake_discord
    fd.ratelimits.config.global_limit = 3
    answers = [await call(fd, "GET", "/users/@me") for _ in range(4)]
    assert [a.status for a in answers] == [200, 200, 200, 429]
    assert answers[3].body["global"] is True and answers[3].headers["X-RateLimit-Global"] == "true"
    assert answers[3].headers["X-RateLimit-Scope"] == "global" and answers[3].headers["Via"] == "1.1 google"
    unknown = await call(fd, "POST", "/interactions/1/token/callback", json={"type": 4}, auth=None)
    assert unknown.body["code"] == 10062  # not throttled, reached the route


async def test_invalid_requests_are_counted(fake_discord: FakeDiscord) -> None:
    """401, 403 and 429 answers count towards Discord's ban threshold; others do not."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    fd.edit_role(fd.bot_role(guild), permissions=0)
    fd.edit_role(guild.everyone, permissions=discord.Permissions(view_channel=True))
    await call(fd, "GET", "/users/@me", auth="Bot wrong")
    await send(fd, fd.general(guild).id, {"content": "forbidden"})
    await call(fd, "GET", "/nope")
    assert fd.ratelimits.invalid_requests() == 2
    fd.clock.advance(601)
    assert fd.ratelimits.invalid_requests() == 0


async def test_real_client_paces_itself_from_the_headers(fake_discord: FakeDiscord) -> None:
    """discord.py reads the bucket headers and spaces its sends, so every message arrives in order."""
    fd = fake_discord
    fd.ratelimits.config.routes[SEND_MESSAGE_ROUTE] = (2, 0.2)
    guild = fd.add_guild("AOUAD Fans")
    async with running(fd, TinyBot(guild)) as bot:
        channel = bot.get_channel(fd.general(guild).id)
        assert isinstance(channel, discord.TextChannel)
        for i in range(5):
            await channel.send(f"update {i}")
    assert [m.content for m in fd.messages(fd.general(guild))] == [f"update {i}" for i in range(5)]


async def test_real_client_waits_out_a_429(fake_discord: FakeDiscord) -> None:
    """Given a 429 with retry_after, discord.py sleeps and retries: the message arrives once."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    async with running(fd, TinyBot(guild)) as bot:
        channel = bot.get_channel(fd.general(guild).id)
        assert isinstance(channel, discord.TextChannel)
        fd.faults.fail("POST", "/channels/*/messages", 429, times=1)
        await channel.send("after the wait")
    assert [e.status for e in fd.requests("POST", "/channels/*/messages")] == [429, 200]
    assert [m.content for m in fd.messages(fd.general(guild))] == ["after the wait"]


def test_limits_can_be_switched_off() -> None:
    """Benchmarks can disable limits entirely; the defaults match Discord's documented numbers."""
    default = RateLimitConfig()
    assert default.enabled and default.global_limit == 50 and default.routes[SEND_MESSAGE_ROUTE] == (5, 5.0)
    assert not RateLimitConfig(enabled=False).enabled


async def test_disabled_limits_never_answer_429() -> None:
    """With limits disabled, a burst of sends all succeed."""
    async with FakeDiscord(ratelimits=RateLimitConfig(enabled=False)) as fd:
        channel = fd.general(fd.add_guild("G"))
        statuses = [(await send(fd, channel.id, {"content": str(i)})).status for i in range(8)]
    assert statuses == [200] * 8
