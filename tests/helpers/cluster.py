"""Two Marquee processes on one database, as the lease tests need them: each its own ``Database`` and ``Node``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

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
