"""The real bot boots against fakediscord, syncs its commands and shuts down cleanly."""

from __future__ import annotations

from pathlib import Path

from bot.runner import running_bot
from fakediscord.server import FakeDiscord
from tests.conftest import Server, fan_server, marquee_settings


async def test_boot_syncs_commands_and_answers(server: Server) -> None:
    """After start-up every command is registered with Discord and /about answers the user."""
    synced = {c["name"] for c in server.fd.commands.get(None)}
    assert {"about", "cast", "recap"} <= synced
    reply = await (await server.fd.invoke("about", user=server.fan, in_channel=server.channel)).response()
    assert reply.ephemeral
    assert reply.embeds[0]["title"] == "Marquee"
    assert "/cast" in reply.embeds[0]["fields"][0]["value"]


async def test_restart_with_same_commands_does_not_resync(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    """A second start with unchanged commands makes no global sync request."""
    fan_server(fake_discord)
    settings = marquee_settings(fake_discord, tmp_path)
    async with running_bot(settings, guild_ready_timeout=0.05) as bot:
        assert bot.synced == "global"
    async with running_bot(settings, guild_ready_timeout=0.05) as bot:
        assert bot.synced == "unchanged"
    puts = fake_discord.requests("PUT", "*/applications/*/commands")
    assert len(puts) == 1


async def test_dev_guild_sync_goes_to_that_guild(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    """With DEV_GUILD_ID set, commands are synced to that server only."""
    guild, _, _ = fan_server(fake_discord)
    settings = marquee_settings(fake_discord, tmp_path, DEV_GUILD_ID=str(guild.id))
    async with running_bot(settings, guild_ready_timeout=0.05) as bot:
        assert bot.synced == "guild"
    assert {c["name"] for c in fake_discord.commands.get(guild.id)} >= {"cast", "recap"}
    assert fake_discord.commands.get(None) == []


async def test_shutdown_closes_database(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    """After a clean shutdown the gateway is closed and the database file is consistent."""
    import sqlite3

    fan_server(fake_discord)
    settings = marquee_settings(fake_discord, tmp_path)
    async with running_bot(settings, guild_ready_timeout=0.05) as bot:
        assert bot.is_ready()
    assert bot.is_closed()
    with sqlite3.connect(settings.database_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
