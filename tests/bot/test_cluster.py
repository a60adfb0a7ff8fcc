"""Cluster membership and the leader: the processes sharing one database see each other, a dead one stops counting
after one lease period, and exactly one leads, replaced within a lease period when it dies."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime, timedelta

import asyncpg

import db.cluster
from bot.cluster import Cluster
from bot.node import Node
from bot.settings import Shards
from db import Database
from db.cluster import LEADER_LOCK

LEASE = timedelta(seconds=30)


class Clock:
    """A shared clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, by: timedelta) -> None:
        self.now += by


@asynccontextmanager
async def processes(target: str, count: int, clock: Clock) -> AsyncIterator[list[Cluster]]:
    """``count`` processes' worth of Clusters, each on its own connection to one database, joined in order."""
    async with AsyncExitStack() as stack:
        clusters = []
        for number in range(count):
            database = await stack.enter_async_context(await Database.open(target))
            cluster = Cluster(database, Node(f"host-{number}:{100 + number}:aa", LEASE), clock=clock, pid=100 + number)
            stack.push_async_callback(cluster.stop)
            await cluster.join()
            clusters.append(cluster)
        yield clusters


async def terminate_leader_session(url: str) -> int:
    """What a leader's crash does on the server: its session (and so its lock) ends. How many sessions ended."""
    conn = await asyncpg.connect(url)
    try:
        return int(
            await conn.fetchval(
                "SELECT COUNT(pg_terminate_backend(pid, 5000)) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND classid = $1 AND objid = $2",
                LEADER_LOCK >> 32,
                LEADER_LOCK & 0xFFFF_FFFF,
            )
        )
    finally:
        await conn.close()


async def test_two_processes_on_postgresql_count_each_other(postgres_database: str) -> None:
    """Two processes on one PostgreSQL database both appear as members, and each counts two live processes."""
    clock = Clock()
    async with processes(postgres_database, 2, clock) as (first, second):
        await first.beat()
        assert first.live_members() == 2 and second.live_members() == 2
        rows = await db.cluster.members(first.db)
        assert sorted(row.node_id for row in rows) == ["host-0:100:aa", "host-1:101:aa"]
        assert sorted((row.host, row.pid) for row in rows) == [(first.host, 100), (first.host, 101)]


async def test_a_silent_process_stops_counting_after_one_lease_period(postgres_database: str) -> None:
    """When one process stops heartbeating, the other still counts it within the lease period and counts
    itself alone once a lease period has passed, so it takes the whole request budget."""
    clock = Clock()
    async with processes(postgres_database, 2, clock) as (first, second):
        await first.beat()
        for _ in range(3):  # the first process hangs; the second beats on schedule
            clock.advance(second.beat_every)
            await second.beat()
        assert second.live_members() == 2  # exactly one lease period: not yet gone
        clock.advance(timedelta(seconds=1))
        await second.beat()
        assert second.live_members() == 1
        assert first.live_members() == 2  # what it read last; a hung process reads nothing new


async def test_exactly_one_of_two_leads_and_another_takes_over_when_it_dies(postgres_database: str) -> None:
    """Of two processes exactly one leads; when the leader's session ends (a crash), the other leads on its next
    try, within one lease period, and the old one, were it to come back, finds the lead taken."""
    clock = Clock()
    async with processes(postgres_database, 2, clock) as (first, second):
        assert [first.is_leader(), second.is_leader()] == [True, False]
        assert await terminate_leader_session(postgres_database) == 1
        clock.advance(second.beat_every)
        await second.beat()
        assert not second.is_leader()  # it tries once per lease period, not at every beat
        clock.advance(LEASE - second.beat_every)
        await second.beat()
        assert second.is_leader()
        rows = {row.node_id: row for row in await db.cluster.members(second.db)}
        assert rows[second.node.id].leader_since == clock.now  # the latest to take the lead: who leads now
        await first.beat()
        assert not first.is_leader()


async def test_a_clean_stop_hands_the_lead_over_and_leaves_the_member_list(postgres_database: str) -> None:
    """A process that stops cleanly deletes its row and lets the lead go at once: the other counts one live process
    and leads on its next try."""
    clock = Clock()
    async with processes(postgres_database, 2, clock) as (first, second):
        await first.stop()
        clock.advance(LEASE)
        await second.beat()
        assert second.is_leader() and second.live_members() == 1
        assert [row.node_id for row in await db.cluster.members(second.db)] == [second.node.id]


async def test_one_process_on_sqlite_is_the_leader_and_only_member(database: Database) -> None:
    """A single-server install is a cluster of one: it leads (so it syncs and prunes) and shares the budget with
    nobody; stopping leaves no member row behind."""
    cluster = Cluster(database, Node("solo:1:aa", LEASE))
    await cluster.start()
    try:
        assert cluster.is_leader() and cluster.live_members() == 1
        assert [row.node_id for row in await db.cluster.members(database)] == ["solo:1:aa"]
    finally:
        await cluster.stop()
    assert await db.cluster.members(database) == []


async def test_the_member_row_says_which_shards_are_connected(database: Database) -> None:
    """An operator reads which shards a process runs and which of them are connected right now."""
    connected: list[int] = []
    clock = Clock()
    cluster = Cluster(
        database, Node("a:1:aa", LEASE), shards=Shards(4, (1, 3)), connected=lambda: connected, clock=clock
    )
    await cluster.join()
    [row] = await db.cluster.members(database)
    assert (row.shard_count, row.shard_ids, row.shards_connected) == (4, (1, 3), ())
    connected.append(3)
    clock.advance(cluster.beat_every)
    await cluster.beat()
    [row] = await db.cluster.members(database)
    assert row.shards_connected == (3,) and row.heartbeat_at == clock.now
    await cluster.stop()
