"""A fakediscord world whose servers fall on every shard of a sharded Marquee."""

from __future__ import annotations

from fakediscord.gateway import shard_for
from fakediscord.server import FakeDiscord
from fakediscord.world import Guild


def guilds_on_shards(fd: FakeDiscord, count: int, at_least: int = 1) -> dict[int, list[Guild]]:
    """Servers added until each of ``count`` shards holds ``at_least`` (ids carry their creation millisecond, so
    they spread), by the shard Discord sends each to: ``(guild_id >> 22) % count``."""
    by_shard: dict[int, list[Guild]] = {shard: [] for shard in range(count)}
    while min(len(guilds) for guilds in by_shard.values()) < at_least:
        guild = fd.add_guild(f"Fan club {sum(len(guilds) for guilds in by_shard.values())}")
        by_shard[shard_for(guild.id, count)].append(guild)
        assert sum(len(guilds) for guilds in by_shard.values()) < 5000, "guild ids did not spread over the shards"
    return by_shard
