"""The bot's membership as Discord reports it: removed, invited back, a guild's outage, a channel deleted."""

from __future__ import annotations

from fakediscord.server import FakeDiscord
from tests.helpers.rawapi import call
from tests.helpers.tinybot import TinyBot, running


async def test_a_removed_bot_loses_the_guild_and_its_channels_refuse_it(fake_discord: FakeDiscord) -> None:
    """Kicked, the bot hears the guild is gone (not unavailable) and may no longer post there; re-invited, it may."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    general = fd.general(guild)
    async with running(fd, TinyBot(guild)) as bot:
        fd.remove_bot(guild)
        await bot.eventually(lambda: bot.get_guild(guild.id) is None)
        refused = await call(fd, "POST", f"/channels/{general.id}/messages", json={"content": "hello?"})
        assert (refused.status, refused.body["code"]) == (403, 50001)
        fd.invite_bot(guild)
        await bot.eventually(lambda: bot.get_guild(guild.id) is not None)
        sent = await call(fd, "POST", f"/channels/{general.id}/messages", json={"content": "back"})
        assert sent.status == 200
    assert [r for r in guild.roles.values() if r.managed] == [fd.bot_role(guild)]


async def test_an_outage_makes_the_guild_unavailable_and_keeps_it(fake_discord: FakeDiscord) -> None:
    """During an outage the guild stays in the bot's cache as unavailable, and comes back whole."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    async with running(fd, TinyBot(guild)) as bot:
        fd.outage(guild)
        await bot.eventually(lambda: (g := bot.get_guild(guild.id)) is not None and g.unavailable)
        fd.outage_over(guild)
        await bot.eventually(lambda: (g := bot.get_guild(guild.id)) is not None and not g.unavailable)
        assert bot.get_channel(fd.general(guild).id) is not None


async def test_a_deleted_channel_is_gone_for_the_bot(fake_discord: FakeDiscord) -> None:
    """A deleted channel leaves the bot's cache and answers Unknown Channel."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    news = fd.add_channel(guild, "news")
    async with running(fd, TinyBot(guild)) as bot:
        await bot.eventually(lambda: bot.get_channel(news.id) is not None)
        fd.delete_channel(news)
        await bot.eventually(lambda: bot.get_channel(news.id) is None)
        answer = await call(fd, "POST", f"/channels/{news.id}/messages", json={"content": "hello?"})
        assert (answer.status, answer.body["code"]) == (404, 10003)
