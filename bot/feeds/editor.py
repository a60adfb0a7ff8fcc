"""The edit outbox: redraws posts whose article changed or whose story another outlet reported too.

An edit is queued in the poll's own transaction (``db.feeds.edits``) and sent here with the outbox's order of
operations: the attempt is recorded before the request and the edit marked sent only after Discord confirmed it, so
an edit lost to a crash is sent again at the next drain. Sending an edit again is harmless (it draws the same card),
and an edit only ever replaces an existing message's card: a message someone deleted drops its edit quietly, and
nothing here can post. Edits keep the posts' pace in each channel (``OutboxSender.wait_turn``) and never ping.

With several processes on one database, an edit goes out from the process holding its channel's lease (the same
lease the channel's posts are sent under, ``db.feeds.due_edits``): an edit in a channel another process is posting
in waits for it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import db.feeds as store
from bot.cards import Card
from bot.feeds.channels import ChannelRefused, NewsChannels, PostGone, PostRejected, SendFailed
from bot.feeds.leases import give_back_channels, renewing
from bot.node import Node
from bot.settings import Shards
from db import Database

log = logging.getLogger(__name__)

BATCH = 50
SEND_TIMEOUT = 30.0
# An edit is a courtesy, not news: a channel that keeps refusing it (or a Discord that keeps failing) gets it at
# most this many times before it is dropped, with the reason kept.
MAX_ATTEMPTS = 5
RETRY_AFTER = (2, 8, 30, 120)  # seconds after the 1st, 2nd, 3rd and 4th failure
LEASE = timedelta(seconds=30)  # how long a channel stays this process's unrenewed (``Limits.lease_seconds``)


class PostEditor:
    """Sends due edits, one drain at a time; ``card`` draws a delivery's current card, ``turn`` paces a request."""

    def __init__(
        self,
        database: Database,
        *,
        card: Callable[[store.Delivery], Awaitable[Card]],
        turn: Callable[[int], Awaitable[None]],
        clock: Callable[[], datetime] | None = None,
        node: Node | None = None,
        members: Callable[[], int] = lambda: 1,
        hosted: Shards | None = None,
    ) -> None:
        self.db = database
        self.card = card
        self.turn = turn
        self.node = node or Node.for_this_process(LEASE)
        self.members = members
        self.hosted = hosted
        self.clock = clock or (lambda: datetime.now(UTC))
        self.send_timeout = SEND_TIMEOUT
        self._lock = asyncio.Lock()

    async def drain(self, channels: NewsChannels) -> int:
        """Send every edit that is due; how many Discord confirmed."""
        edited = 0
        async with self._lock, renewing(self.node, self._renew, "channels being edited in"):
            try:
                while edits := await self._due():
                    for edit in edits:
                        edited += await self._edit(channels, edit)
                    if len(edits) < BATCH:
                        break
            except asyncio.CancelledError:
                await give_back_channels(self.db, self.node)  # shutting down: nothing in flight any more
                raise
            await store.release_idle_channels(self.db, self.node, self.clock())
        return edited

    async def _due(self) -> list[store.PostEdit]:
        members = max(1, self.members())
        return await store.due_edits(
            self.db, self.clock(), limit=BATCH, holder=self.node, members=members, hosted=self.hosted
        )

    async def _renew(self) -> None:
        await store.renew_channels(self.db, self.node, self.clock())

    async def _edit(self, channels: NewsChannels, edit: store.PostEdit) -> bool:
        delivery = edit.delivery
        card = await self.card(delivery)
        await store.mark_edit_attempt(self.db, edit.id)
        await self.turn(delivery.channel_id)
        try:
            async with asyncio.timeout(self.send_timeout):
                await channels.edit_card(delivery.channel_id, delivery.guild_id, edit.message_id, card)
        except PostGone as exc:
            log.info("not editing message %s of delivery %s: %s", edit.message_id, delivery.id, exc.reason)
            await store.drop_edit(self.db, edit.id, exc.reason)
            return False
        except PostRejected as exc:
            log.error("Discord refused edit %s of message %s for good (%s)", edit.id, edit.message_id, exc.reason)
            await store.drop_edit(self.db, edit.id, exc.reason)
            return False
        except (ChannelRefused, SendFailed) as exc:
            await self._retry(edit, exc.reason)
            return False
        except TimeoutError:
            await self._retry(edit, "no answer from Discord (TimeoutError)")
            return False
        await store.mark_edited(self.db, edit.id, self.clock())
        log.info("edited message %s (%r) in channel %s", edit.message_id, delivery.title, delivery.channel_id)
        return True

    async def _retry(self, edit: store.PostEdit, error: str) -> None:
        tried = edit.attempts + 1
        if tried >= MAX_ATTEMPTS:
            log.warning("giving up edit %s of message %s after %d attempts: %s", edit.id, edit.message_id, tried, error)
            await store.drop_edit(self.db, edit.id, error)
            return
        delay = RETRY_AFTER[min(tried, len(RETRY_AFTER)) - 1]
        log.warning("edit %s of message %s failed (%s); retrying in %d s", edit.id, edit.message_id, error, delay)
        await store.retry_edit_later(self.db, edit.id, error, self.clock() + timedelta(seconds=delay))
