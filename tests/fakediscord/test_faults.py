"""Faults on demand, and how the real discord.py client lives through them."""

from __future__ import annotations

import discord
import pytest

from fakediscord.server import FakeDiscord
from tests.helpers.rawapi import call, send
from tests.helpers.tinybot import TinyBot, running


async def test_fail_answers_without_applying(fake_discord: FakeDiscord) -> None:
    """fail() answers the next N matching requests with the status and posts nothing."""
    fd = fake_discord
    channel = fd.general(fd.add_guild("AOUAD Fans"))
    fd.faults.fail("POST", "/channels/*/messages", 503, times=2, body={"message": "overloaded", "code": 0})
    answers = [await send(fd, channel.id, {"content": "x"}) for _ in range(3)]
    assert [a.status for a in answers] == [503, 503, 200]
    assert answers[0].body == {"message": "overloaded", "code": 0}
    assert len(fd.messages(channel)) == 1


async def test_faults_match_method_and_path(fake_discord: FakeDiscord) -> None:
    """A fault for one route leaves other methods and paths alone, and clear() removes it."""
    fd = fake_discord
    channel = fd.general(fd.add_guild("AOUAD Fans"))
    fd.faults.fail("GET", "/channels/*/messages", 500, times=5)
    assert (await send(fd, channel.id, {"content": "x"})).status == 200
    assert (await call(fd, "GET", f"/channels/{channel.id}")).status == 200
    assert (await call(fd, "GET", f"/channels/{channel.id}/messages")).status == 500
    fd.faults.clear()
    assert (await call(fd, "GET", f"/channels/{channel.id}/messages")).status == 200


async def test_real_client_retries_a_502(fake_discord: FakeDiscord) -> None:
    """discord.py retries a 502 by itself; the message is posted exactly once."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    async with running(fd, TinyBot(guild)) as bot:
        channel = bot.get_channel(fd.general(guild).id)
        assert isinstance(channel, discord.TextChannel)
        fd.faults.fail("POST", "/channels/*/messages", 502)
        await channel.send("survived")
    assert [e.status for e in fd.requests("POST", "/channels/*/messages")] == [502, 200]
    assert [m.content for m in fd.messages(fd.general(guild))] == ["survived"]


async def test_created_then_posts_but_answers_the_error(fake_discord: FakeDiscord) -> None:
    """created_then(502) posts the message yet answers 502, so a plain resend duplicates it."""
    fd = fake_discord
    channel = fd.general(fd.add_guild("AOUAD Fans"))
    fd.faults.created_then(502, "POST", "/channels/*/messages")
    first = await send(fd, channel.id, {"content": "news item"})
    second = await send(fd, channel.id, {"content": "news item"})
    assert (first.status, second.status) == (502, 200)
    assert [m.content for m in fd.messages(channel)] == ["news item", "news item"]


async def test_real_client_retry_after_created_then_502_posts_once(fake_discord: FakeDiscord) -> None:
    """discord.py sends a nonce with enforce_nonce, so its own retry gets the first message back."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    async with running(fd, TinyBot(guild)) as bot:
        channel = bot.get_channel(fd.general(guild).id)
        assert isinstance(channel, discord.TextChannel)
        fd.faults.created_then(502, "POST", "/channels/*/messages")
        sent = await channel.send("news item")
    [posted] = fd.messages(fd.general(guild))
    assert posted.id == sent.id and posted.nonce is not None
    assert [e.status for e in fd.requests("POST", "/channels/*/messages")] == [502, 200]


async def test_real_client_raises_forbidden(fake_discord: FakeDiscord) -> None:
    """Sending where the bot may not gives discord.Forbidden with Discord's code 50013."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    news = fd.add_channel(guild, "news")
    fd.set_overwrite(news, fd.bot_role(guild), deny=discord.Permissions(send_messages=True))
    async with running(fd, TinyBot(guild)) as bot:
        channel = bot.get_channel(news.id)
        assert isinstance(channel, discord.TextChannel)
        with pytest.raises(discord.Forbidden) as caught:
            await channel.send("hello")
    assert caught.value.code == 50013


async def test_latency_can_push_a_reply_past_the_deadline(fake_discord: FakeDiscord) -> None:
    """Latency on the callback route makes an otherwise prompt answer late: the user sees nothing."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    fd.interaction_deadline = 0.05
    fd.faults.latency(0.2, "POST", "/interactions/*/callback")
    bot = TinyBot(guild)
    async with running(fd, bot):
        handle = await fd.invoke("controls", user=fd.owner, in_channel=fd.general(guild))
        await fd.wait_until(lambda: fd.requests("POST", "/interactions/*") or None, 5, "the callback")
    [entry] = fd.requests("POST", "/interactions/*")
    assert entry.status == 404 and not handle.interaction.acknowledged
    assert fd.messages(fd.general(guild)) == []


async def test_a_cloudflare_429_is_not_retried(fake_discord: FakeDiscord) -> None:
    """A 429 HTML page without Via (a Cloudflare block) makes discord.py raise instead of waiting."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    async with running(fd, TinyBot(guild)) as bot:
        channel = bot.get_channel(fd.general(guild).id)
        assert isinstance(channel, discord.TextChannel)
        fd.faults.fail("POST", "/channels/*/messages", 429, body="<html>Error 1015: You are being rate limited</html>")
        with pytest.raises(discord.HTTPException) as caught:
            await channel.send("blocked")
    assert caught.value.status == 429
    [entry] = fd.requests("POST", "/channels/*/messages")
    assert entry.status == 429 and fd.messages(fd.general(guild)) == []
