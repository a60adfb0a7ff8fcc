"""Countdowns kept by several Marquee processes on one database: each server's by one process at a time, and only by
a process hosting that server's shard. On SQLite and PostgreSQL, two ``Database``s standing for two processes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import db.countdown
from bot.settings import Shards
from db import Database
from tests.helpers.cluster import LEASE, node, two_processes

NOW = datetime(2026, 12, 7, 10, tzinfo=UTC)
FIRST, SECOND = node("first"), node("second")
SHARD_0, SHARD_1 = Shards(2, (0,)), Shards(2, (1,))


def on_shard(shard: int, n: int) -> int:
    """The ``n``-th server id Discord puts on ``shard`` of two."""
    return ((2 * n + shard) << 22) + 7


async def countdowns(database: Database, guilds: list[int]) -> None:
    """A countdown in each server, due now."""
    for guild in guilds:
        await db.countdown.create(
            database, guild_id=guild, channel_id=guild + 1, ping_role_id=None, claim=None, by_user=3, now=NOW
        )
        await db.countdown.set_due(database, guild, NOW)


async def test_two_processes_keep_disjoint_countdowns(shared_store: Path | str) -> None:
    """Two processes sharing every server each bring a different set of countdowns up to date, together all of them."""
    guilds = [on_shard(n % 2, n) for n in range(40)]
    async with two_processes(shared_store) as (one, two):
        await countdowns(one, guilds)
        first, second = await asyncio.gather(
            db.countdown.due(one, NOW, holder=FIRST, limit=25), db.countdown.due(two, NOW, holder=SECOND, limit=25)
        )
    assert not set(first) & set(second) and sorted(first + second) == sorted(guilds)


async def test_a_process_keeps_only_the_countdowns_of_servers_on_its_shards(shared_store: Path | str) -> None:
    """Each process edits the pinned countdowns of its own shards' servers only (their channels are in its cache)."""
    zero, one_ = [on_shard(0, n) for n in range(3)], [on_shard(1, n) for n in range(3)]
    async with two_processes(shared_store) as (one, two):
        await countdowns(one, zero + one_)
        first, second = await asyncio.gather(
            db.countdown.due(one, NOW, holder=FIRST, hosted=SHARD_0),
            db.countdown.due(two, NOW, holder=SECOND, hosted=SHARD_1),
        )
    assert sorted(first) == sorted(zero) and sorted(second) == sorted(one_)


async def test_a_countdown_held_by_a_dead_process_is_kept_again_after_its_lease(shared_store: Path | str) -> None:
    """A process that died mid-edit holds its server's countdown for one lease; then the next host keeps it."""
    guild = on_shard(0, 1)
    async with two_processes(shared_store) as (one, two):
        await countdowns(one, [guild])
        assert await db.countdown.due(one, NOW, holder=FIRST, hosted=SHARD_0) == [guild]
        assert not await db.countdown.hold(two, guild, SECOND, NOW + LEASE - timedelta(seconds=1))
        assert await db.countdown.due(two, NOW + LEASE - timedelta(seconds=1), holder=SECOND) == []
        assert await db.countdown.due(two, NOW + LEASE + timedelta(seconds=1), holder=SECOND) == [guild]


async def test_the_timer_sleeps_past_work_another_process_holds(shared_store: Path | str) -> None:
    """The timer of a process wakes for its own shards' countdowns, and for one another process holds only when that
    lease runs out, instead of waking again and again for work that is not its to do."""
    zero, one_ = on_shard(0, 1), on_shard(1, 1)
    async with two_processes(shared_store) as (one, two):
        await countdowns(one, [zero, one_])
        assert await db.countdown.next_due(one, hosted=SHARD_0) == NOW
        assert await db.countdown.due(one, NOW, holder=FIRST, hosted=SHARD_0) == [zero]
        assert await db.countdown.next_due(two, hosted=SHARD_0) == NOW + LEASE
        await db.countdown.release(one, [zero], FIRST)
        assert await db.countdown.next_due(two, hosted=SHARD_0) == NOW


async def test_a_change_still_serialises_through_the_revision_while_a_countdown_is_leased(
    shared_store: Path | str,
) -> None:
    """A lease never stands in the way of news: a change stored meanwhile makes the countdown due again, and the
    holder's upkeep (based on the older revision) does not push it back."""
    guild = on_shard(0, 1)
    async with two_processes(shared_store) as (one, two):
        await countdowns(one, [guild])
        before = await db.countdown.get(one, guild)
        assert before is not None and await db.countdown.due(one, NOW, holder=FIRST) == [guild]
        assert await db.countdown.set_locked(two, guild, True, NOW)  # a moderator, on the other process
        assert not await db.countdown.set_due(one, guild, NOW + timedelta(hours=1), revision=before.revision)
        await db.countdown.release(one, [guild], FIRST)
        assert await db.countdown.due(two, NOW, holder=SECOND) == [guild]
