"""Channel history and pins through the real discord.py client, as Marquee's cogs use them."""

from __future__ import annotations

import discord
import pytest

from fakediscord.server import FakeDiscord
from tests.helpers.tinybot import TinyBot, running


async def test_history_pages_newest_first(fake_discord: FakeDiscord) -> None:
    """channel.history() walks the channel newest first across pages, as a cog looking back would."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    fan = fd.add_user("minji")
    fd.add_member(guild, fan)
    for i in range(120):
        fd.post(fd.general(guild), fan, f"message {i}")
    async with running(fd, TinyBot(guild)) as bot:
        channel = bot.get_channel(fd.general(guild).id)
        assert isinstance(channel, discord.TextChannel)
        recent = [m.content async for m in channel.history(limit=3)]
        everything = [m.content async for m in channel.history(limit=None)]
        oldest = [m.content async for m in channel.history(limit=2, oldest_first=True)]
    assert recent == ["message 119", "message 118", "message 117"]
    assert everything == [f"message {i}" for i in reversed(range(120))]
    assert oldest == ["message 0", "message 1"]


async def test_pin_unpin_and_list_pins(fake_discord: FakeDiscord) -> None:
    """The bot pins and unpins its messages; channel.pins() lists the newest pin first."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    async with running(fd, TinyBot(guild)) as bot:
        channel = bot.get_channel(fd.general(guild).id)
        assert isinstance(channel, discord.TextChannel)
        first = await channel.send("Countdown: 30 days")
        second = await channel.send("Countdown: 29 days")
        await first.pin()
        await second.pin()
        await first.unpin()
        pinned = [m.content async for m in channel.pins()]
    assert pinned == ["Countdown: 29 days"]
    assert [m.content for m in fd.pins(fd.general(guild))] == ["Countdown: 29 days"]


async def test_wait_for_messages_sees_what_the_bot_posts(fake_discord: FakeDiscord) -> None:
    """wait_for_messages returns once the channel shows the bot's posts, oldest first."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    async with running(fd, TinyBot(guild)):
        await fd.invoke("slow", user=fd.owner, in_channel=fd.general(guild))
        posted = await fd.wait_for_messages(fd.general(guild), 2)
    assert [m.content for m in posted] == ["Done thinking.", "One more thing."]
    assert all(m.author is fd.bot_user for m in posted)


async def test_fetching_guild_member_and_user(fake_discord: FakeDiscord) -> None:
    """fetch_guild, fetch_member, fetch_user and fetch_channel return the fake's objects; unknown ids are 404."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    fan = fd.add_user("minji")
    mods = fd.add_role(guild, "Moderators")
    fd.add_member(guild, fan, roles=[mods])
    async with running(fd, TinyBot(guild)) as bot:
        fetched_guild = await bot.fetch_guild(guild.id)
        member = await fetched_guild.fetch_member(fan.id)
        user = await bot.fetch_user(fan.id)
        channel = await bot.fetch_channel(fd.general(guild).id)
        channels = await fetched_guild.fetch_channels()
        with pytest.raises(discord.NotFound):
            await bot.fetch_user(1234)
    assert fetched_guild.name == "AOUAD Fans" and [r.name for r in member.roles][-1] == "Moderators"
    assert user.name == "minji" and getattr(channel, "name", None) == "general"
    assert [c.name for c in channels] == ["general"]


async def test_guilds_and_roles_changed_later_reach_the_bot(fake_discord: FakeDiscord) -> None:
    """A guild the bot joins after start and a role edited by a moderator show up in the bot's cache."""
    fd = fake_discord
    first = fd.add_guild("AOUAD Fans")
    async with running(fd, TinyBot(first)) as bot:
        second = fd.add_guild("K-drama Club")
        await bot.eventually(lambda: bot.get_guild(second.id) is not None)
        fd.edit_role(fd.bot_role(first), permissions=discord.Permissions(view_channel=True))
        fd.edit_role(first.everyone, permissions=discord.Permissions(view_channel=True))

        def muted() -> bool:
            guild = bot.get_guild(first.id)
            return guild is not None and not guild.me.guild_permissions.send_messages

        await bot.eventually(muted)
        joined = bot.get_guild(second.id)
        assert joined is not None and [c.name for c in joined.text_channels] == ["general"]
