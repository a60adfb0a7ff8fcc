"""This process as a member of a Marquee cluster: its row among the others, its heartbeat, and whether it leads.

Every process sharing a database writes a ``cluster_members`` row at start, refreshes it every third of a lease
period and deletes it when it stops cleanly; a process whose heartbeat is older than one lease period is counted
as gone. The count of live members is what the news sender divides Discord's one global request budget by, so it
is read at each heartbeat and kept, never queried per request. Exactly one process leads (``db.cluster``): only
the leader syncs commands and runs the pruning chores; the others try for the lead once per lease period, so a
leader that dies is replaced within one. A single process on SQLite is a cluster of one that always leads.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta

import db.cluster
from bot.loops import BackgroundLoop
from bot.node import Node
from bot.settings import Shards
from db import Database
from db.cluster import Leadership, Member, leadership_for

log = logging.getLogger(__name__)

FORGET_SILENT = timedelta(days=1)
"""How long the row of a process that died without leaving stays for the status to show, before the leader deletes
it."""


async def _at_once() -> None:
    """The heartbeat does not wait for Discord: a process still connecting its shards is alive all the same."""


class Cluster:
    """Membership and the lead for this process; Discord-free (``connected`` reports the open shard sessions).

    ``clock`` is replaceable: tests stop a member's heartbeat and move time past a lease period.
    """

    def __init__(
        self,
        database: Database,
        node: Node,
        *,
        shards: Shards | None = None,
        connected: Callable[[], Sequence[int]] = tuple,
        clock: Callable[[], datetime] | None = None,
        leadership: Leadership | None = None,
        host: str | None = None,
        pid: int | None = None,
    ) -> None:
        self.db = database
        self.node = node
        self.shards = shards
        self.connected = connected
        self.clock = clock or (lambda: datetime.now(UTC))
        self.leadership = leadership or leadership_for(database, timeout=self.beat_every.total_seconds())
        self.host = host or socket.gethostname()
        self.pid = os.getpid() if pid is None else pid
        # Called when this process becomes the leader after start-up (start-up itself syncs as the leader it is).
        self.on_lead: Callable[[], Awaitable[object]] | None = None
        # Set when the live count or the lead changes, for whoever waits on it (tests, a status view).
        self.changed = asyncio.Event()
        self._live = 1
        self._last_try: datetime | None = None
        self._leading_since: datetime | None = None
        self._started_at: datetime | None = None
        self._loop: BackgroundLoop | None = None

    @property
    def lease(self) -> timedelta:
        return self.node.lease

    @property
    def beat_every(self) -> timedelta:
        return self.node.lease / 3

    def live_members(self) -> int:
        """How many processes share the work, as of the last heartbeat (this one at least)."""
        return max(1, self._live)

    def is_leader(self) -> bool:
        return self.leadership.held

    async def start(self) -> None:
        """Join the cluster (trying for the lead first, so start-up knows whether to sync) and keep heartbeating."""
        await self.join()
        if self._loop is None:
            every = self.beat_every.total_seconds()
            self._loop = BackgroundLoop("cluster heartbeat", self.beat, every=every, ready=_at_once)
            self._loop.start()

    async def join(self) -> None:
        """Write this process's row and take one heartbeat, without the loop (tests drive ``beat`` themselves)."""
        now = self.clock()
        await self._try_lead(now)
        self._started_at = now
        await db.cluster.join(self.db, self._member(now))
        await self.beat()

    async def beat(self) -> None:
        """One heartbeat: the lead checked (the leader) or tried for (the others, once per lease period), the row
        refreshed, and the live members counted."""
        now = self.clock()
        was_leader = self.is_leader()
        if was_leader or self._last_try is None or now - self._last_try >= self.lease:
            await self._try_lead(now)
        live = await self._heartbeat(now)
        if live is None:
            log.warning("this process's cluster row was gone (stalled for a day?); writing it again")
            await db.cluster.join(self.db, self._member(now))
            live = await self._heartbeat(now)
        counted = live or 1
        if counted != self._live:
            log.info("Marquee processes sharing the work: %d", counted)
        changed = counted != self._live or self.is_leader() != was_leader
        self._live = counted
        if self.is_leader():
            await db.cluster.forget_silent(self.db, before=now - FORGET_SILENT)
            if not was_leader and self.on_lead is not None:
                try:
                    await self.on_lead()
                except Exception:
                    log.exception("the new leader's first duties failed; the next start or change tries again")
        if changed:
            self.changed.set()

    async def stop(self) -> None:
        """Stop heartbeating, delete this process's row and let the lead go, so the others need not wait a lease
        period for either. Safe to call twice, or for a cluster never started."""
        loop, self._loop = self._loop, None
        if loop is not None:
            await loop.stop()
        if self._started_at is not None:
            self._started_at = None
            try:
                await db.cluster.leave(self.db, self.node.id)
            except Exception:
                log.exception("could not delete this process's cluster row; it expires in %s", self.lease)
        await self.leadership.resign()
        self._leading_since = None

    async def _heartbeat(self, now: datetime) -> int | None:
        return await db.cluster.heartbeat(
            self.db,
            self.node.id,
            now=now,
            connected=self.connected(),
            leader_since=self._leading_since,
            live_since=now - self.lease,
        )

    async def _try_lead(self, now: datetime) -> None:
        self._last_try = now
        was_leader = self.is_leader()
        leads = await self.leadership.try_lead()
        if leads and not was_leader:
            self._leading_since = now
            log.info("this process (%s) leads the cluster: it syncs commands and prunes", self.node.id)
        elif was_leader and not leads:
            self._leading_since = None
            log.warning("this process (%s) no longer leads the cluster", self.node.id)

    def _member(self, now: datetime) -> Member:
        return Member(
            node_id=self.node.id,
            host=self.host,
            pid=self.pid,
            shard_count=0 if self.shards is None else self.shards.count,
            shard_ids=() if self.shards is None else self.shards.ids,
            shards_connected=tuple(self.connected()),
            started_at=self._started_at or now,
            heartbeat_at=now,
            leader_since=self._leading_since,
        )
