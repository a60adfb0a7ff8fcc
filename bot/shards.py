"""The gateway side of cluster mode: which shards this process names in its logs, and how fast it identifies them.

discord.py's ``AutoShardedClient`` launches its shards one after another and, before every IDENTIFY but the
first, sleeps 5 seconds: Discord's pace for a bot whose ``max_concurrency`` is 1. A bot Discord has moved to
large-bot sharding may identify ``max_concurrency`` shards at once, one per rate-limit bucket
(``shard_id % max_concurrency``), so the sleep is only needed between two shards of the same bucket. The pacer
keeps that rule for this process's own shards; another process identifying in the same bucket at the same moment
is answered with an invalid session (op 9), and discord.py identifies again through the pacer, 5 s later.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Final

from bot.errors import ConfigError
from bot.settings import Shards

IDENTIFY_WINDOW: Final = 5.0
"""Discord lets each rate-limit bucket identify once per 5 seconds."""
SHARDING_REQUIRED: Final = 4011
INVALID_SHARD: Final = 4010


def refusal(close_code: int | None) -> ConfigError | None:
    """What an operator must change when Discord closes the gateway over sharding; ``None`` for other closes."""
    if close_code == SHARDING_REQUIRED:
        return ConfigError(
            "SHARD_COUNT",
            "Discord requires more shards: one shard may hold at most 2,500 servers",
            "Set SHARD_COUNT on every Marquee process to the count GET /gateway/bot recommends (one shard per 1,000 "
            "servers, at least one per 2,500), and divide the ids among the processes with SHARD_IDS",
        )
    if close_code == INVALID_SHARD:
        return ConfigError(
            "SHARD_IDS",
            "Discord refused a shard as invalid",
            "Give every process the same SHARD_COUNT and only ids below it",
        )
    return None


def describe(shards: Shards | None) -> str:
    """The shards this process connects, as an operator reads them in the start-up log."""
    if shards is None:
        return "one session (not sharded)"
    label = "shard" if len(shards.ids) == 1 else "shards"
    return f"{label} {', '.join(str(shard) for shard in shards.ids)} of {shards.count}"


class IdentifyPacer:
    """Waits before each IDENTIFY until its bucket's previous one in this process is ``window`` seconds old."""

    def __init__(
        self,
        max_concurrency: int = 1,
        *,
        window: float = IDENTIFY_WINDOW,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.max_concurrency = max(max_concurrency, 1)
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self._last: dict[int, float] = {}
        self._locks: dict[int, asyncio.Lock] = {}

    def bucket(self, shard_id: int) -> int:
        """Discord's rate-limit key for a shard's IDENTIFY."""
        return shard_id % self.max_concurrency

    async def wait(self, shard_id: int) -> None:
        """Return when ``shard_id`` may identify, and count that IDENTIFY as sent now."""
        key = self.bucket(shard_id)
        async with self._locks.setdefault(key, asyncio.Lock()):
            last = self._last.get(key)
            if last is not None and (delay := last + self.window - self._clock()) > 0:
                await self._sleep(delay)
            self._last[key] = self._clock()
