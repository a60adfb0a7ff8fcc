"""Each server's share of the fetch slots, so one server's slow feeds cannot hold every fetch.

The fetcher allows 16 fetches at once in all (and 2 per host). A server following 50 feeds that each take 20 s
to answer would fill all 16 for minutes, and every other server's news would wait behind them. A fetch here first
takes a slot of one of the servers following the feed (at most ``per_server`` each), then the fetcher's.

Which server a fetch counts against: the follower with the most free slots at the moment it starts. A feed only
one server follows is held to that server's share; a feed many servers follow goes as soon as any of them has
room, so no one follower (with 50 slow feeds of its own, say) can hold up a feed the others follow too. Charging
every follower would let exactly that happen; charging the first subscriber would let a popular feed eat the
share of whichever server happened to follow it first.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator, Collection


class ServerSlots:
    """At most ``per_server`` fetches at once per server; waiters are served in the order they came."""

    def __init__(self, per_server: int) -> None:
        if per_server < 1:
            raise ValueError("each server needs at least one fetch slot")
        self.per_server = per_server
        self._busy: Counter[int] = Counter()
        self._waiting: list[tuple[Collection[int], asyncio.Future[int]]] = []

    def busy(self, guild_id: int) -> int:
        """Fetches running now on ``guild_id``'s share."""
        return self._busy[guild_id]

    def _free(self, guilds: Collection[int]) -> int | None:
        room = [g for g in guilds if self._busy[g] < self.per_server]
        return min(room, key=lambda g: (self._busy[g], g)) if room else None

    @contextlib.asynccontextmanager
    async def hold(self, guilds: Collection[int]) -> AsyncIterator[int | None]:
        """Hold a slot of one of ``guilds`` (the one it counts against, or ``None`` when nobody follows)."""
        if not guilds:
            yield None
            return
        guild = await self._take(guilds)
        try:
            yield guild
        finally:
            self._give_back(guild)

    async def _take(self, guilds: Collection[int]) -> int:
        guild = self._free(guilds)
        if guild is not None:
            self._busy[guild] += 1
            return guild
        waiter: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        entry = (guilds, waiter)
        self._waiting.append(entry)
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():  # handed a slot, cancelled before taking it
                self._give_back(waiter.result())
            raise
        finally:
            with contextlib.suppress(ValueError):
                self._waiting.remove(entry)

    def _give_back(self, guild: int) -> None:
        """Hand the slot to the first waiter that can use it, or free it."""
        for n, (guilds, waiter) in enumerate(self._waiting):
            if guild in guilds and not waiter.done():
                del self._waiting[n]
                waiter.set_result(guild)
                return
        self._busy[guild] -= 1
        if not self._busy[guild]:
            del self._busy[guild]
