"""``HousekeepingService``: departures from servers and channels, the grace period, and the cleanup after it.

Discord tells a bot it was removed from a server (``GUILD_DELETE`` without ``unavailable``) and that a channel was
deleted (``CHANNEL_DELETE``); an outage (``GUILD_DELETE`` with ``unavailable: true``) is not a departure and never
reaches this service. A departure stops the sending at once: posts for the place wait in the outbox (a removed
bot's sends would only fail), and the countdown's timer leaves it alone (``db.countdown.due`` skips a countdown
whose server or channel has departed, even when news from the server's feeds makes it due). A moderator may have
removed Marquee by mistake, so nothing is deleted until the grace period is over, and its feeds are still polled
meanwhile: invited back, the server gets what was published while Marquee was away (up to
``QUEUED_POSTS_PER_CHANNEL`` a channel), not only what its feeds still list. After the grace period ``run_once``
deletes the place's setup, and feeds nobody follows any more are no longer fetched (the watcher only polls feeds
with a subscription).

In a cluster only the leader runs the chores that touch every server's rows (forgetting departed places, pruning
old posts and items), so two processes never delete the same rows at once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import UTC, datetime, timedelta

import db.countdown
import db.departures
from bot.settings import Limits, Shards
from db import Database

log = logging.getLogger(__name__)

# Why the channels of a departed place are paused; shown by /feeds status for a deleted channel, and how a
# server's return tells its own pauses from the ones Discord's refusals made.
SERVER_LEFT = "Marquee was removed from this server"
CHANNEL_GONE = "the channel was deleted"


class HousekeepingService:
    """What Marquee does when a server or a channel is gone, and what it forgets later.

    ``clock`` is replaceable (tests move time past the grace period); ``woken`` are called when a server comes
    back, so the loops that send its held posts and keep its countdown look at once. ``shards`` are the gateway
    shards this process connects (cluster mode), whose servers alone its READY lists. ``leader`` says whether this
    process leads the cluster: only then do ``run_once`` and ``prune_once`` (the ``chores``) do anything.
    """

    def __init__(
        self,
        database: Database,
        *,
        limits: Limits | None = None,
        clock: Callable[[], datetime] | None = None,
        woken: Sequence[Callable[[], None]] = (),
        shards: Shards | None = None,
        leader: Callable[[], bool] = lambda: True,
        chores: Sequence[Callable[[], Awaitable[int]]] = (),
    ) -> None:
        self.db = database
        self.shards = shards
        self.leader = leader
        self.chores = tuple(chores)
        self.limits = limits or Limits()
        self.clock = clock or (lambda: datetime.now(UTC))
        self.woken = tuple(woken)

    def now(self) -> datetime:
        return self.clock()

    @property
    def grace(self) -> timedelta:
        return timedelta(days=self.limits.cleanup_grace_days)

    async def server_removed(self, guild_id: int) -> None:
        """Marquee was removed from the server: hold its posts and its countdown until it returns or the
        grace period is over."""
        now = self.now()
        if await db.departures.depart(self.db, guild_id, None, now=now, reason=SERVER_LEFT):
            log.info("removed from server %s; its setup goes in %d days unless invited back", guild_id, self.grace.days)
        await db.countdown.set_due(self.db, guild_id, None)

    async def server_returned(self, guild_id: int) -> None:
        """Marquee is in the server (invited back, or there after a restart): send what waited, keep the
        countdown up again."""
        if not await db.departures.come_back(self.db, guild_id, reason=SERVER_LEFT):
            return
        log.info("back in server %s; nothing of its setup was lost", guild_id)
        await db.countdown.set_due(self.db, guild_id, self.now())
        for wake in self.woken:
            wake()

    async def servers_present(self, guild_ids: Iterable[int]) -> int:
        """At connect, Discord lists every server Marquee is in: one it keeps a setup for that is not listed
        removed Marquee while it was offline, so that is a departure too. How many were found.

        In cluster mode READY lists only the servers on this process's shards: another process's are not missing.
        """
        missing = await db.departures.servers_with_setup(self.db) - set(guild_ids)
        if self.shards is not None:
            missing = {guild_id for guild_id in missing if self.shards.holds(guild_id)}
        for guild_id in sorted(missing):
            await self.server_removed(guild_id)
        return len(missing)

    async def channel_deleted(self, guild_id: int, channel_id: int) -> bool:
        """A channel was deleted: if it held Marquee's setup, stop sending there; whether it did."""
        if not await db.departures.has_setup(self.db, guild_id, channel_id):
            return False
        await db.departures.depart(self.db, guild_id, channel_id, now=self.now(), reason=CHANNEL_GONE)
        countdown = await db.countdown.get(self.db, guild_id)
        if countdown is not None and countdown.channel_id == channel_id:
            await db.countdown.set_due(self.db, guild_id, None)
        log.info("channel %s of server %s deleted; its setup goes in %d days", channel_id, guild_id, self.grace.days)
        return True

    async def departures(self) -> list[db.departures.Departure]:
        """The departures whose grace period is running, oldest first (for logs and tests)."""
        return await db.departures.departures(self.db)

    async def run_once(self) -> int:
        """Forget every place whose grace period is over; how many places were forgotten.

        Each place goes in its own transaction, so one that fails is tried again next time and the others go. Only
        the cluster's leader forgets; on any other process this returns 0.
        """
        if not self.leader():
            return 0
        forgotten = 0
        for departure in await db.departures.departures(self.db, before=self.now() - self.grace):
            try:
                await db.departures.forget(self.db, departure)
            except Exception:
                log.exception("could not forget %s", departure)
                continue
            forgotten += 1
            where = "server" if departure.channel_id is None else f"channel {departure.channel_id} of server"
            log.info("forgot the setup of %s %s, gone since %s", where, departure.guild_id, departure.departed_at)
        return forgotten

    async def prune_once(self) -> int:
        """Run the pruning chores (old posts, items gone from their feeds) if this process leads; how many rows
        they forgot. A chore that fails is logged and the others still run."""
        if not self.leader():
            return 0
        pruned = 0
        for chore in self.chores:
            try:
                pruned += await chore()
            except Exception:
                log.exception("pruning chore %r failed; it runs again next round", chore)
        return pruned
