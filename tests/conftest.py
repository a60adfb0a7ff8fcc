"""Shared fixtures: a local Discord per test (the fakediscord plugin) and the real Marquee running against it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import discord
import pytest_asyncio

from bot.bot import Marquee
from bot.runner import running_bot
from bot.settings import Settings
from bot.transport import point_discord_at
from fakediscord.server import FakeDiscord
from fakediscord.world import Channel, Guild, User

pytest_plugins = ["fakediscord.pytest_plugin"]

MODERATOR_PERMISSIONS = discord.Permissions(manage_guild=True, view_channel=True, send_messages=True)


@dataclass
class Server:
    """One fan server with Marquee in it: a fan, a moderator and a #general channel."""

    fd: FakeDiscord
    bot: Marquee
    guild: Guild
    channel: Channel
    fan: User
    mod: User


def marquee_settings(fd: FakeDiscord, tmp_path: Path, **env: str) -> Settings:
    return Settings.from_env(
        {
            "DISCORD_TOKEN": fd.token,
            "DATABASE_PATH": str(tmp_path / "marquee.db"),
            "DISCORD_API_URL": fd.api_url,
            "DISCORD_GATEWAY_URL": fd.gateway_url,
            **env,
        }
    )


def fan_server(fd: FakeDiscord, name: str = "AOUAD Fans") -> tuple[Guild, User, User]:
    guild = fd.add_guild(name)
    fan = fd.add_user("hyosan_fan")
    fd.add_member(guild, fan)
    mod = fd.add_user("moderator")
    fd.add_member(guild, mod, roles=[fd.add_role(guild, "Moderators", permissions=MODERATOR_PERMISSIONS)])
    return guild, fan, mod


@pytest_asyncio.fixture
async def fake_discord(fake_discord_server: FakeDiscord) -> AsyncIterator[FakeDiscord]:
    """The plugin's fake, with discord.py pointed at it for the test and back at Discord afterwards, so
    one test's port never leaks into the next."""
    point_discord_at(fake_discord_server.api_url, fake_discord_server.gateway_url)
    try:
        yield fake_discord_server
    finally:
        point_discord_at()


@pytest_asyncio.fixture
async def server(fake_discord: FakeDiscord, tmp_path: Path) -> AsyncIterator[Server]:
    """Marquee started against a fresh fakediscord with one fan server, torn down cleanly."""
    guild, fan, mod = fan_server(fake_discord)
    settings = marquee_settings(fake_discord, tmp_path)
    async with running_bot(settings, guild_ready_timeout=0.05) as bot:
        yield Server(fake_discord, bot, guild, fake_discord.general(guild), fan, mod)
