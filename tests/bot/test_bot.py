"""The real bot boots against fakediscord, syncs its commands and shuts down cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.runner import running_bot
from fakediscord.server import FakeDiscord
from tests.helpers.marquee import Server, fan_server, marquee_settings
from tests.helpers.stores import store_env


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


@pytest.mark.sqlite_only
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


async def test_python_m_bot_runs_and_stops_cleanly_on_sigterm(fake_discord: FakeDiscord, tmp_path: Path) -> None:
    """`python -m bot` connects, syncs, and on SIGTERM exits 0 — and even DEBUG logs never contain the token."""
    import asyncio
    import os
    import signal
    import sys

    fan_server(fake_discord)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATABASE_", "DEV_GUILD"))},
        "DISCORD_TOKEN": fake_discord.token,
        "DISCORD_API_URL": fake_discord.api_url,
        "DISCORD_GATEWAY_URL": fake_discord.gateway_url,
        **await store_env(tmp_path / "marquee.db"),
        "LOG_LEVEL": "DEBUG",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await fake_discord.hub.wait_ready(timeout=30)
        await fake_discord.wait_until(lambda: fake_discord.commands.get(None) or None, 30, "commands synced")
        process.send_signal(signal.SIGTERM)
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    logs = stderr.decode()
    assert process.returncode == 0, logs[-3000:]
    assert "Marquee stopped cleanly" in logs
    assert fake_discord.token not in logs + stdout.decode()
    assert fake_discord.token.split(".")[-1] not in logs
