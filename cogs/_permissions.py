"""Marquee checking its own permissions in a channel before relying on them, so it can say what is missing."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.tree import permission_label


def missing_in(channel: discord.abc.GuildChannel, needed: Sequence[str]) -> list[str]:
    """The permissions in ``needed`` (discord.py names) that Marquee lacks in ``channel``, as Discord labels them."""
    granted = channel.permissions_for(channel.guild.me)
    return [permission_label(name) for name in needed if not getattr(granted, name)]
