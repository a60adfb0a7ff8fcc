"""The housekeeping rules without Discord: the grace period comes from the settings, a return wakes the senders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import db.countdown
import db.feeds as store
from bot.housekeeping.service import CHANNEL_GONE, HousekeepingService
from bot.settings import Limits
from db import Database
from tests.helpers.outbox import subscribe_channel, to_none

NOW = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)


async def follow(database: Database, guild_id: int, channel_id: int) -> None:
    await subscribe_channel(database, now=NOW, guild_id=guild_id, channel_id=channel_id, route=to_none)


async def test_the_grace_period_is_the_configured_number_of_days(database: Database) -> None:
    """With CLEANUP_GRACE_DAYS=2 a removed server's feeds go after two days, not one."""
    now = NOW
    service = HousekeepingService(database, limits=Limits(cleanup_grace_days=2), clock=lambda: now)
    await follow(database, 1, 100)
    await service.server_removed(1)
    now = NOW + timedelta(days=1)
    assert await service.run_once() == 0
    now = NOW + timedelta(days=2, seconds=1)
    assert await service.run_once() == 1
    assert await store.guild_subscriptions(database, 1) == []


async def test_no_grace_period_forgets_at_the_next_cleanup(database: Database) -> None:
    """With CLEANUP_GRACE_DAYS=0 the setup goes at the next cleanup pass."""
    now = NOW
    service = HousekeepingService(database, limits=Limits(cleanup_grace_days=0), clock=lambda: now)
    await follow(database, 1, 100)
    await service.server_removed(1)
    now = NOW + timedelta(seconds=1)
    assert await service.run_once() == 1


async def test_a_return_wakes_the_sender_and_the_countdown_only_after_a_departure(database: Database) -> None:
    """Coming back wakes the loops that send held posts and keep the countdown; a plain restart does not."""
    woken: list[str] = []
    service = HousekeepingService(database, clock=lambda: NOW, woken=(lambda: woken.append("sender"),))
    await db.countdown.create(database, guild_id=1, channel_id=100, ping_role_id=None, claim=None, by_user=9, now=NOW)
    await service.server_returned(1)
    assert woken == []
    await service.server_removed(1)
    held = await db.countdown.get(database, 1)
    assert held is not None and held.due_at is None
    await service.server_returned(1)
    assert woken == ["sender"]
    back = await db.countdown.get(database, 1)
    assert back is not None and back.due_at == NOW


async def test_a_deleted_countdown_channel_is_a_departure(database: Database) -> None:
    """Deleting the channel that holds the countdown stops its updates and counts as a departure."""
    service = HousekeepingService(database, clock=lambda: NOW)
    await db.countdown.create(database, guild_id=1, channel_id=100, ping_role_id=None, claim=None, by_user=9, now=NOW)
    await db.countdown.set_due(database, 1, NOW)
    assert not await service.channel_deleted(1, 101)
    assert await service.channel_deleted(1, 100)
    assert [(d.guild_id, d.channel_id) for d in await service.departures()] == [(1, 100)]
    assert await store.paused_channels(database, 1) == {100: CHANNEL_GONE}
    countdown = await db.countdown.get(database, 1)
    assert countdown is not None and countdown.due_at is None
