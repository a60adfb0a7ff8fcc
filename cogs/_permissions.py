"""Marquee checking its own permissions in a channel before relying on them, so it can say what is missing."""

from __future__ import annotations

from collections.abc import Sequence

import discord

# discord.py's names where Discord's own settings screens say something else.
PERMISSION_LABELS = {"manage_guild": "Manage Server", "view_channel": "View Channels", "read_messages": "View Channels"}


def permission_label(name: str) -> str:
    """The permission as a server admin sees it in Discord's settings."""
    return PERMISSION_LABELS.get(name, name.replace("_", " ").title())


def missing_in(channel: discord.abc.GuildChannel, needed: Sequence[str]) -> list[str]:
    """The permissions in ``needed`` (discord.py names) that Marquee lacks in ``channel``, as Discord labels them."""
    granted = channel.permissions_for(channel.guild.me)
    return [permission_label(name) for name in needed if not getattr(granted, name)]
