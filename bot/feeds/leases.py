"""Keeping the leases of shared work alive while it runs (``db.leases``: a due feed, a channel, a countdown).

A lease runs out ``Node.lease`` after it was taken unless its holder renews it; a holder that died stops renewing,
which is how the other processes know to take its work over. Work that may outlast one lease (a feed waiting for a
slow site, a channel's backlog, a send Discord is slow to answer) renews every third of a lease, so one missed
renewal (a busy event loop, a slow database) still leaves time for the next.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

import db.feeds as store
from bot.node import Node
from db import Database

log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def renewing(node: Node, renew: Callable[[], Awaitable[object]], what: str) -> AsyncIterator[None]:
    """Call ``renew`` every third of ``node``'s lease while the block runs; a failed renewal is logged and the next
    one tried (the work itself decides what a lost lease means)."""

    async def keep() -> None:
        while True:
            await asyncio.sleep(node.lease.total_seconds() / 3)
            try:
                await renew()
            except Exception:
                log.exception("could not renew the leases of %s", what)

    task = asyncio.create_task(keep(), name=f"renew {what}")
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def give_back_channels(db: Database, node: Node) -> None:
    """Release this process's channels at once on shutdown rather than after the lease; a failure here is logged
    and must not hide the shutdown (the leases then run out as a dead process's would)."""
    try:
        await store.release_channels(db, node)
    except Exception:
        log.exception("could not give back the channel leases of %s", node.id)
