"""A world of many fan servers on fakediscord, one news channel each, and what reached those channels."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from fakediscord.server import FakeDiscord
from fakediscord.world import Channel

MESSAGES = "/channels/*/messages"


def news_channels(fd: FakeDiscord, guilds: int) -> list[Channel]:
    """``guilds`` fan servers, each with Marquee in it; their #general channels are where news goes."""
    return [fd.general(fd.add_guild(f"Fan server {n}")) for n in range(guilds)]


def posts_per_channel(fd: FakeDiscord, channels: Sequence[Channel]) -> list[int]:
    """How many news posts (bot messages with an embed) each channel shows."""
    return [sum(1 for m in fd.messages(c) if m.author is fd.bot_user and m.embeds) for c in channels]


def lost_and_duplicated(fd: FakeDiscord, channels: Sequence[Channel]) -> tuple[int, int]:
    """Channels without the post, and posts beyond the first in a channel."""
    counts = posts_per_channel(fd, channels)
    return sum(1 for c in counts if c == 0), sum(c - 1 for c in counts if c > 1)


def delivery_states(database_path: Path) -> dict[str, int]:
    """Outbox rows per state, read with a separate connection (the bot may be running)."""
    with contextlib.closing(sqlite3.connect(f"file:{database_path}?mode=ro", uri=True, timeout=10)) as conn:
        rows = conn.execute("SELECT state, COUNT(*) FROM deliveries GROUP BY state").fetchall()
    return {str(state): int(count) for state, count in rows}
