"""The processes sharing one Marquee database: their ``cluster_members`` rows, the leader's lock, and what
``python -m bot status`` reads about them.

The leader is whoever holds a PostgreSQL *session* advisory lock on a connection of its own: the lock lives exactly
as long as that session, so a leader that dies (or whose connection the server drops) lets it go without anyone
having to notice, and the next process to try takes it. The embedded SQLite store has one process, which always
leads. Rows are facts for the others to read; the lock, not a row, decides who leads.
"""

from __future__ import annotations

import abc
import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from db.database import Database, Row
from db.times import from_text, to_text

if TYPE_CHECKING:
    import asyncpg

log = logging.getLogger(__name__)

# The leader's advisory lock key ("MRQ_lead"); the migration lock in db.postgres is another key.
LEADER_LOCK = 0x4D52_515F_6C65_6164


@dataclass(frozen=True, slots=True)
class Member:
    node_id: str
    host: str
    pid: int
    shard_count: int  # 0: one unsharded session
    shard_ids: tuple[int, ...]
    shards_connected: tuple[int, ...]
    started_at: datetime
    heartbeat_at: datetime
    leader_since: datetime | None = None


def _ids(ids: Sequence[int]) -> str:
    return ",".join(str(shard) for shard in sorted(ids))


def _parse_ids(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part)


def _member(row: Row) -> Member:
    started = from_text(row["started_at"])
    heartbeat = from_text(row["heartbeat_at"])
    assert started is not None and heartbeat is not None  # NOT NULL columns
    return Member(
        node_id=str(row["node_id"]),
        host=str(row["host"]),
        pid=int(row["pid"]),
        shard_count=int(row["shard_count"]),
        shard_ids=_parse_ids(str(row["shard_ids"])),
        shards_connected=_parse_ids(str(row["shards_connected"])),
        started_at=started,
        heartbeat_at=heartbeat,
        leader_since=from_text(row["leader_since"]),
    )


async def join(db: Database, member: Member) -> None:
    """Write this process's row (again, after a restart reusing the id, or after the leader forgot a silent one)."""
    values = (
        member.host,
        member.pid,
        member.shard_count,
        _ids(member.shard_ids),
        _ids(member.shards_connected),
        to_text(member.started_at),
        to_text(member.heartbeat_at),
        None if member.leader_since is None else to_text(member.leader_since),
    )
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO cluster_members (node_id, host, pid, shard_count, shard_ids, shards_connected, started_at, "
            "heartbeat_at, leader_since) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (node_id) DO UPDATE SET "
            "host = excluded.host, pid = excluded.pid, shard_count = excluded.shard_count, "
            "shard_ids = excluded.shard_ids, shards_connected = excluded.shards_connected, "
            "started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at, "
            "leader_since = excluded.leader_since",
            (member.node_id, *values),
        )


async def heartbeat(
    db: Database,
    node_id: str,
    *,
    now: datetime,
    connected: Sequence[int],
    leader_since: datetime | None,
    live_since: datetime,
) -> int | None:
    """Refresh this process's row and count the members heard from since ``live_since`` (this one
    included), in one transaction; ``None`` when the row is gone (forgotten while this process was stalled), so
    the caller writes it again."""
    async with db.transaction() as tx:
        changed = await tx.execute(
            "UPDATE cluster_members SET heartbeat_at = ?, shards_connected = ?, leader_since = ? WHERE node_id = ?",
            (to_text(now), _ids(connected), None if leader_since is None else to_text(leader_since), node_id),
        )
        if not changed:
            return None
        row = await tx.fetchone("SELECT COUNT(*) FROM cluster_members WHERE heartbeat_at >= ?", (to_text(live_since),))
    return int(row[0]) if row is not None else 1


async def leave(db: Database, node_id: str) -> None:
    async with db.transaction() as tx:
        await tx.execute("DELETE FROM cluster_members WHERE node_id = ?", (node_id,))


async def forget_silent(db: Database, *, before: datetime) -> int:
    """Delete the rows of processes silent since ``before``: they died long ago and only clutter the status."""
    async with db.transaction() as tx:
        return await tx.execute("DELETE FROM cluster_members WHERE heartbeat_at < ?", (to_text(before),))


async def members(db: Database) -> list[Member]:
    """Every row, the most recently heard from first."""
    rows = await db.fetchall("SELECT * FROM cluster_members ORDER BY heartbeat_at DESC, node_id")
    return [_member(row) for row in rows]


# -- the leader ----------------------------------------------------------------------------------------------------


class Leadership(abc.ABC):
    """Whether this process leads, and the one way to try to: ``try_lead``."""

    held: bool = False

    @abc.abstractmethod
    async def try_lead(self) -> bool:
        """Take the lead if nobody holds it, or check that this process still does; whether it leads now."""

    @abc.abstractmethod
    async def resign(self) -> None:
        """Let the lead go at once (a clean stop), so the next process need not wait for anything to expire."""


class SoleLeadership(Leadership):
    """The embedded SQLite store: its one process always leads."""

    async def try_lead(self) -> bool:
        self.held = True
        return True

    async def resign(self) -> None:
        self.held = False


class AdvisoryLeadership(Leadership):
    """``pg_try_advisory_lock`` on a connection of its own, held for as long as this process leads.

    Not a pool connection: a session lock belongs to the session, and a pool would hand the session to other work
    and could close it. ``timeout`` bounds every round trip, so a server that stopped answering costs the lead
    instead of hanging the heartbeat.
    """

    def __init__(self, url: str, *, timeout: float) -> None:
        self._url = url
        self._timeout = timeout
        self._conn: asyncpg.Connection[asyncpg.Record] | None = None

    async def try_lead(self) -> bool:
        import asyncpg

        try:
            async with asyncio.timeout(self._timeout):
                if self._conn is None or self._conn.is_closed():
                    if self.held:  # the session that held the lock is over, and the lock with it
                        log.warning("lost the connection that held the cluster's lead")
                        self.held = False
                    self._conn = await asyncpg.connect(self._url)
                if self.held:
                    # A session lock lasts as long as its session: a live session still holds it.
                    await self._conn.fetchval("SELECT 1")
                else:
                    self.held = bool(await self._conn.fetchval("SELECT pg_try_advisory_lock($1)", LEADER_LOCK))
        except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            if self.held:
                log.warning("lost the connection that held the cluster's lead (%s: %s)", type(exc).__name__, exc)
            else:
                log.debug("could not try for the cluster's lead: %s: %s", type(exc).__name__, exc)
            self.held = False
            await self._drop()
        return self.held

    async def resign(self) -> None:
        self.held = False
        await self._drop()

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None and not conn.is_closed():
            await _close(conn, seconds=self._timeout)


async def _close(conn: asyncpg.Connection[asyncpg.Record], *, seconds: float) -> None:
    """Close politely (the server ends the session, and the lock with it), or cut the socket if it does not answer."""
    try:
        await conn.close(timeout=seconds)
    except Exception:  # the socket is cut either way; a stop must not fail on it
        conn.terminate()


def leadership_for(database: Database, *, timeout: float) -> Leadership:
    """The lead as this store decides it: an advisory lock on PostgreSQL, always this process on SQLite."""
    if database.dialect != "postgresql":
        return SoleLeadership()
    from db.postgres import PostgresDatabase, driver_url

    if not isinstance(database, PostgresDatabase):
        raise TypeError(f"a {type(database).__name__} says it is PostgreSQL but is not db.postgres's")
    return AdvisoryLeadership(driver_url(database.url), timeout=timeout)


# -- what the status reads -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Backlog:
    pending: int  # posts waiting in the outbox
    held: int  # of which wait in paused channels (a departed server, a channel refusing posts): held on purpose
    oldest_queued: datetime | None  # when the oldest post not held on purpose was queued
    edits: int  # edits of posted messages waiting


async def backlog(db: Database) -> Backlog:
    """The outbox as an operator judges it: how much waits, and how long the oldest post that should go has."""
    row = await db.fetchone(
        "SELECT COUNT(*) AS pending, COUNT(h.paused_reason) AS held, "
        "MIN(CASE WHEN h.paused_reason IS NULL THEN d.created_at END) AS oldest "
        "FROM deliveries d LEFT JOIN channel_health h ON h.channel_id = d.channel_id WHERE d.state = 'pending'"
    )
    edits = await db.fetchone("SELECT COUNT(*) FROM post_edits WHERE state = 'pending'")
    return Backlog(
        pending=int(row["pending"]) if row else 0,
        held=int(row["held"]) if row else 0,
        oldest_queued=from_text(row["oldest"]) if row else None,
        edits=int(edits[0]) if edits else 0,
    )


# The shared work a process holds a lease on: (what, table, the holder's column); every lease has ``lease_until``.
LEASED = (
    ("feeds", "feeds", "lease_owner"),
    ("channels", "channel_leases", "owner"),
    ("countdowns", "countdowns", "lease_owner"),
)


async def leases_held(db: Database, now: datetime) -> dict[str, dict[str, int]]:
    """Per holder (a node id), how many leases of each kind it holds that have not run out at ``now``."""
    held: dict[str, dict[str, int]] = {}
    for kind, table, owner in LEASED:
        rows = await db.fetchall(
            f"SELECT {owner} AS holder, COUNT(*) AS leases FROM {table} "  # noqa: S608 (names from LEASED)
            f"WHERE {owner} IS NOT NULL AND lease_until > ? GROUP BY {owner}",
            (to_text(now),),
        )
        for row in rows:
            held.setdefault(str(row["holder"]), {})[kind] = int(row["leases"])
    return held
