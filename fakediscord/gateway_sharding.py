"""Discord's sharding rules: how many guilds a session may hold and how fast sessions may start.

A bot that outgrows one connection is told so (close 4011), one that identifies faster than its
``max_concurrency`` allows is refused (op 9), and ``GET /gateway/bot`` recommends a shard count and
reports the session starts left. Kept in one object that the gateway and the REST route share, so the
numbers a bot reads before it connects are the ones the gateway then holds it to.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

MAX_GUILDS_PER_SHARD: Final = 2500
"""Discord closes a session that would hold more guilds than this with 4011 (sharding required)."""
GUILDS_PER_RECOMMENDED_SHARD: Final = 1000
"""``GET /gateway/bot`` recommends one shard per 1,000 guilds."""
IDENTIFY_WINDOW: Final = 5.0
"""Each rate-limit key (``shard_id % max_concurrency``) may identify once per 5 seconds."""


@dataclass
class SessionStarts:
    """The session start limit of one bot token, and the per-shard guild ceiling.

    ``guilds_per_shard``, ``guilds_per_recommended_shard`` and ``max_concurrency`` are knobs tests turn
    (a ceiling of 3 guilds, say, to see 4011 without building 2,501 guilds); the defaults are Discord's for
    an ordinary bot. The identify window reads the fake's clock, so ``clock.advance(5)`` opens the next one.
    """

    clock: Callable[[], float]
    total: int = 1000
    max_concurrency: int = 1
    reset_after: float = 86_400.0
    guilds_per_shard: int = MAX_GUILDS_PER_SHARD
    identify_window: float = IDENTIFY_WINDOW
    guilds_per_recommended_shard: int = GUILDS_PER_RECOMMENDED_SHARD
    used: int = 0
    refused: int = 0
    _reset_at: float | None = None
    _last_identify: dict[int, float] = field(default_factory=dict)

    @property
    def remaining(self) -> int:
        self._roll()
        return max(self.total - self.used, 0)

    def rate_limit_key(self, shard_id: int) -> int:
        """Discord's identify bucket: shards with the same key take turns, one per window."""
        return shard_id % max(self.max_concurrency, 1)

    def admit(self, shard_id: int) -> bool:
        """Count an IDENTIFY for ``shard_id``; false when its bucket already identified in this window."""
        now = self.clock()
        key = self.rate_limit_key(shard_id)
        last = self._last_identify.get(key)
        if last is not None and now - last < self.identify_window:
            self.refused += 1
            return False
        self._last_identify[key] = now
        return True

    def exhausted(self) -> bool:
        """True once every session start of the period is spent."""
        return self.remaining <= 0

    def start(self) -> None:
        """A session was started: one fewer remains until the period resets."""
        self._roll()
        if self._reset_at is None:
            self._reset_at = self.clock() + self.reset_after
        self.used += 1

    def too_many(self, guilds: int) -> bool:
        """Whether a session holding ``guilds`` guilds must be refused with 4011."""
        return guilds > self.guilds_per_shard

    def gateway_bot(self, url: str, guilds: int) -> dict[str, Any]:
        """The body of ``GET /gateway/bot`` for a bot in ``guilds`` guilds."""
        self._roll()
        reset_after = self.reset_after if self._reset_at is None else max(self._reset_at - self.clock(), 0.0)
        return {
            "url": url,
            "shards": recommended_shards(guilds, self.guilds_per_recommended_shard),
            "session_start_limit": {
                "total": self.total,
                "remaining": self.remaining,
                "reset_after": round(reset_after * 1000),
                "max_concurrency": self.max_concurrency,
            },
        }

    def _roll(self) -> None:
        if self._reset_at is not None and self.clock() >= self._reset_at:
            self._reset_at = None
            self.used = 0


def recommended_shards(guilds: int, per_shard: int = GUILDS_PER_RECOMMENDED_SHARD) -> int:
    """Discord's recommendation: one shard per 1,000 guilds, at least one."""
    return max(1, math.ceil(guilds / max(per_shard, 1)))
