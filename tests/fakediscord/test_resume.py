"""World changes made while the bot is disconnected reach it when its session resumes."""

from __future__ import annotations

import discord

from fakediscord.server import FakeDiscord
from tests.helpers.tinybot import TinyBot, running


async def test_events_missed_during_a_reconnect_are_replayed(fake_discord: FakeDiscord) -> None:
    """A channel created and a message deleted during an op 7 reconnect are in the bot's cache after RESUME."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    bot = TinyBot(guild)
    async with running(fd, bot):
        general = bot.get_channel(fd.general(guild).id)
        assert isinstance(general, discord.TextChannel)
        sent = await general.send("soon deleted")
        await bot.eventually(lambda: discord.utils.get(bot.cached_messages, id=sent.id) is not None)
        fd.hub.hold_connections()
        await fd.hub.reconnect()
        await fd.hub.wait_until(lambda: fd.hub.connected == 0, 5)
        spoilers = fd.add_channel(guild, "spoilers")
        fd.delete_message(fd.general(guild), sent.id)
        fd.hub.release_connections()
        await fd.hub.wait_for_resume(1)
        await bot.eventually(lambda: bot.get_channel(spoilers.id) is not None)
        await bot.eventually(lambda: discord.utils.get(bot.cached_messages, id=sent.id) is None)
    assert fd.hub.identifies == 1
