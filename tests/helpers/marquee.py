"""Marquee against fakediscord: the fan server end-to-end tests start from, and settings pointing at the fake."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import discord

from bot.bot import Marquee
from bot.settings import Settings
from fakediscord.server import FakeDiscord
from fakediscord.world import Channel, Guild, User

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
