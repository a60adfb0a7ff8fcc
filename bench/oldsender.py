"""The outbox sender as it was before fair rounds (issue #12, item 2), kept as the fairness benchmark's baseline.

It took the 50 oldest due deliveries of *all* servers (``ORDER BY id``), sent them one at a time 0.05 s apart and
skipped, for the rest of the round, a channel that had to wait for its 1.25 s gap; the loop then slept until its
next tick. A backlog of more than 50 posts in one channel therefore kept every other channel's news out of the
round until the backlog was nearly gone. ``install()`` puts it in place of the sender in a bot process
(``oldsender_site/sitecustomize.py`` calls it when that folder is on the child's ``PYTHONPATH``).

The query is the one ``db.feeds.due_deliveries`` ran then; it lives here, not in ``db/``, because only this
baseline uses it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import db.feeds as store
from bot.feeds.channels import NewsChannels
from bot.feeds.sender import OutboxSender
from db import Database
from db.times import from_text, to_text

OLD_GLOBAL_GAP = 0.05
OLD_BATCH = 50
OLD_DUE_SQL = (
    "SELECT d.id, d.item_id, d.guild_id, d.channel_id, d.nonce, d.attempts, i.title, i.link, i.outlet, "
    "i.summary, i.image_url, i.published_at, f.title AS feed_title "
    "FROM deliveries d JOIN items i ON i.id = d.item_id JOIN feeds f ON f.id = i.feed_id "
    "LEFT JOIN channel_health h ON h.channel_id = d.channel_id "
    "WHERE d.state = 'pending' AND d.next_attempt_at <= ? AND h.paused_reason IS NULL "
    "ORDER BY d.id LIMIT ?"
)


async def oldest_due(database: Database, now: datetime, limit: int) -> list[store.Delivery]:
    deliveries = []
    for r in await database.fetchall(OLD_DUE_SQL, (to_text(now), limit)):
        published = from_text(r["published_at"])
        assert published is not None
        deliveries.append(
            store.Delivery(
                id=r["id"], item_id=r["item_id"], guild_id=r["guild_id"], channel_id=r["channel_id"],
                nonce=r["nonce"], attempts=r["attempts"], title=r["title"], link=r["link"], outlet=r["outlet"],
                summary=r["summary"], image_url=r["image_url"], published_at=published, feed_title=r["feed_title"],
            )
        )  # fmt: skip
    return deliveries


class OldSender(OutboxSender):
    """One send at a time, the 50 oldest due posts of all servers per round; no queue cap."""

    def __init__(self, database: Database, *, clock: Callable[[], datetime] | None = None, **_: Any) -> None:
        super().__init__(database, clock=clock, concurrency=1)
        self._last_send = 0.0

    async def drain(self, channels: NewsChannels) -> int:
        async with self._lock:
            sent = 0
            waiting: set[int] = set()
            for delivery in await oldest_due(self.db, self.clock(), OLD_BATCH):
                if delivery.channel_id in waiting:
                    continue
                last = self._last_in_channel.get(delivery.channel_id)
                if last is not None and time.monotonic() - last < self.channel_gap:
                    waiting.add(delivery.channel_id)
                    continue
                if await self._deliver(channels, delivery):
                    sent += 1
                else:
                    waiting.add(delivery.channel_id)
            return sent

    async def _pace(self) -> None:
        gap = OLD_GLOBAL_GAP - (time.monotonic() - self._last_send)
        if gap > 0:
            await asyncio.sleep(gap)
        self._last_send = time.monotonic()


def install() -> None:
    """Make every ``FeedService`` built from now on use the old sender."""
    import bot.feeds.service

    bot.feeds.service.OutboxSender = OldSender  # type: ignore[misc]
