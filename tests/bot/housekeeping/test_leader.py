"""Housekeeping in a cluster: only the leader forgets departed servers and prunes, so no two processes delete the
same rows; a process that takes the lead over picks the chores up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import db.feeds as store
from bot.housekeeping.service import HousekeepingService
from bot.settings import Limits
from db import Database
from tests.helpers.outbox import subscribe_channel, to_none

NOW = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)


async def test_only_the_leader_forgets_a_departed_server_and_prunes(database: Database) -> None:
    """Past the grace period, a process that does not lead forgets nothing and runs no pruning; once it leads,
    it forgets the server and prunes."""
    leads = False
    pruned: list[str] = []

    async def prune() -> int:
        pruned.append("outbox")
        return 3

    now = NOW
    service = HousekeepingService(
        database, limits=Limits(cleanup_grace_days=0), clock=lambda: now, leader=lambda: leads, chores=(prune,)
    )
    await subscribe_channel(database, now=NOW, guild_id=1, channel_id=100, route=to_none)
    await service.server_removed(1)
    now = NOW + timedelta(seconds=1)
    assert await service.run_once() == 0
    assert await service.prune_once() == 0
    assert len(await store.guild_subscriptions(database, 1)) == 1 and pruned == []
    leads = True
    assert await service.run_once() == 1
    assert await service.prune_once() == 3
    assert await store.guild_subscriptions(database, 1) == [] and pruned == ["outbox"]


async def test_a_failing_chore_leaves_the_others_running(database: Database) -> None:
    """One pruning chore that fails is logged and the next one still runs."""

    async def broken() -> int:
        raise RuntimeError("disk full")

    async def fine() -> int:
        return 2

    service = HousekeepingService(database, chores=(broken, fine))
    assert await service.prune_once() == 2
