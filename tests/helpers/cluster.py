"""Two Marquee processes on one database, as the lease tests need them: each its own ``Database`` and ``Node``, and
the one Discord they post to."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from bot.cards import Card
from bot.node import Node
from db import Database

LEASE = timedelta(seconds=30)


def node(name: str, lease: timedelta = LEASE) -> Node:
    """A process named for the test's messages (a real one is host:pid:random, ``Node.for_this_process``)."""
    return Node(name, lease)


@asynccontextmanager
async def two_processes(target: Path | str) -> AsyncIterator[tuple[Database, Database]]:
    """Two connection owners on one store, opened one after the other (the second finds it migrated)."""
    async with await Database.open(target) as first, await Database.open(target) as second:
        yield first, second


class Ledger:
    """Discord as every process of a cluster sees it: the messages posted in each channel, in the order they came,
    with the process that posted each."""

    def __init__(self) -> None:
        self.posts: dict[int, list[tuple[str, str]]] = {}  # channel id -> [(nonce, poster)]
        self.times: list[float] = []
        self.frozen = asyncio.Event()

    def nonces(self, channel_id: int) -> list[str]:
        return [nonce for nonce, _ in self.posts.get(channel_id, [])]

    def every_nonce(self) -> list[str]:
        return [nonce for posts in self.posts.values() for nonce, _ in posts]


class RecordingChannels:
    """One process's ``NewsChannels`` onto the shared ``Ledger``. With ``freeze_after``, the process freezes for good
    once it has posted that many: the next post reaches Discord and its answer never comes back (a process killed
    between Discord creating the message and the outbox recording it)."""

    def __init__(self, ledger: Ledger, name: str, *, freeze_after: int | None = None) -> None:
        self.ledger = ledger
        self.name = name
        self.freeze_after = freeze_after
        self.sent = 0

    async def send_card(
        self, channel_id: int, guild_id: int, card: Card, *, nonce: str, ping_role: int | None = None
    ) -> int:
        posts = self.ledger.posts.setdefault(channel_id, [])
        posts.append((nonce, self.name))
        self.ledger.times.append(time.monotonic())
        self.sent += 1
        if self.freeze_after is not None and self.sent > self.freeze_after:
            self.ledger.frozen.set()
            await asyncio.Event().wait()
        return channel_id * 1000 + len(posts)

    async def find_posted(self, channel_id: int, guild_id: int, *, nonce: str, link: str | None) -> int | None:
        for n, (posted, _) in enumerate(self.ledger.posts.get(channel_id, []), start=1):
            if posted == nonce:
                return channel_id * 1000 + n
        return None

    async def say_paused(self, channel_id: int, guild_id: int, *, feed: str, reason: str) -> None:
        raise AssertionError("no feed pauses here")

    async def edit_card(self, channel_id: int, guild_id: int, message_id: int, card: Card) -> None:
        raise AssertionError("no edits here")

    async def post_in_forum(self, channel_id: int, guild_id: int, card: Card, *, title: str, tag_id: int | None) -> int:
        raise AssertionError("no forums here")

    async def find_forum_post(self, channel_id: int, guild_id: int, *, title: str, link: str | None) -> int | None:
        raise AssertionError("no forums here")

    async def start_thread(self, channel_id: int, guild_id: int, message_id: int, *, name: str) -> int:
        raise AssertionError("no threads here")

    async def say_no_thread(self, channel_id: int, guild_id: int, *, reason: str) -> None:
        raise AssertionError("no threads here")
