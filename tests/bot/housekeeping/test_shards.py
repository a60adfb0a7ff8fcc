"""Departures in cluster mode: a process's READY lists only the servers on its shards, so only those can be missing."""

from __future__ import annotations

import db.feeds as store
from bot.housekeeping.service import HousekeepingService
from bot.settings import Shards
from db import Database

ON_SHARD_0 = 4 << 22  # (id >> 22) % 2 == 0
ON_SHARD_1 = 5 << 22


async def set_up(database: Database, *guild_ids: int) -> None:
    for guild_id in guild_ids:
        await store.save_guild_settings(database, store.GuildFeedSettings(guild_id, ("piracy.example",), (), 0, None))


async def test_a_server_on_another_process_shard_is_not_taken_for_a_departure(database: Database) -> None:
    """The process running shard 0 of 2, missing a server of its own from READY, departs it and leaves the server
    on shard 1 (another process's) alone."""
    await set_up(database, ON_SHARD_0, ON_SHARD_1)
    service = HousekeepingService(database, shards=Shards(2, (0,)))
    assert await service.servers_present([]) == 1
    assert [d.guild_id for d in await service.departures()] == [ON_SHARD_0]


async def test_unsharded_every_server_missing_from_ready_departed(database: Database) -> None:
    """One unsharded process hears about every server, so any server with a setup missing from READY left."""
    await set_up(database, ON_SHARD_0, ON_SHARD_1)
    service = HousekeepingService(database)
    assert await service.servers_present([ON_SHARD_1]) == 1
    assert [d.guild_id for d in await service.departures()] == [ON_SHARD_0]
