"""The real discord.py client boots, syncs and answers slash commands against fakediscord."""

from __future__ import annotations

from fakediscord.server import FakeDiscord
from tests.helpers.tinybot import TinyBot, running


async def test_bot_syncs_and_answers_a_slash_command(fake_discord: FakeDiscord) -> None:
    """A fan runs /cast and sees the bot's embed about the character."""
    fd = fake_discord
    guild = fd.add_guild("AOUAD Fans")
    fan = fd.add_user("minji")
    fd.add_member(guild, fan)
    async with running(fd, TinyBot(guild)):
        handle = await fd.invoke("cast", name="Choi Nam-ra", user=fan, in_channel=fd.general(guild))
        reply = await handle.response()
    assert reply.embeds[0]["title"] == "Choi Nam-ra"
    assert not reply.ephemeral
