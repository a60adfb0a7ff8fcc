"""Discord's rate limits: per-route buckets, the global budget per bot token, session starts and invalid requests.

discord.py paces itself from the ``X-RateLimit-*`` headers and sleeps on a 429's ``retry_after``; it
treats a 429 without a ``Via`` header as a Cloudflare ban and gives up. The fake sends the same headers
and bodies so that this pacing is exercised for real. Windows are fixed, like Discord's, and read the
fake's clock so a test can skip a window with ``clock.advance``.
"""

from __future__ import annotations

import hashlib
import logging
import math
from collections import deque
from dataclasses import dataclass, field

from fakediscord.clock import Clock
from fakediscord.gateway_sharding import SessionStarts

log = logging.getLogger(__name__)

SEND_MESSAGE_ROUTE = "POST /channels/{channel_id}/messages"


@dataclass
class RateLimitConfig:
    """What the fake enforces; tests and benchmarks tighten or loosen it, the defaults match Discord."""

    enabled: bool = True
    global_limit: int = 50
    global_window: float = 1.0
    routes: dict[str, tuple[int, float]] = field(default_factory=lambda: {SEND_MESSAGE_ROUTE: (5, 5.0)})
    default_route: tuple[int, float] = (50, 1.0)
    invalid_window: float = 600.0
    invalid_ban_threshold: int = 10_000


@dataclass
class _Window:
    limit: int
    per: float
    reset_at: float
    used: int = 0


@dataclass(frozen=True, slots=True)
class Verdict:
    """Headers to send, and when limited the 429 body and whether it was the global limit."""

    headers: dict[str, str]
    retry_after: float | None = None
    is_global: bool = False


def bucket_hash(route: str) -> str:
    """A stable opaque bucket id per route template, shaped like Discord's hex hashes."""
    return hashlib.sha256(route.encode()).hexdigest()[:32]


class RateLimiter:
    def __init__(self, clock: Clock, config: RateLimitConfig | None = None) -> None:
        self.clock = clock
        self.config = config or RateLimitConfig()
        self._windows: dict[tuple[str, str, str], _Window] = {}
        self._global: dict[str, _Window] = {}
        self._invalid: deque[float] = deque()
        self.limited = 0
        self.session_starts = SessionStarts(clock.now)

    def reset(self) -> None:
        self._windows.clear()
        self._global.clear()

    def check_global(self, token: str = "") -> Verdict | None:
        """Count a request against its bot token's global budget; a verdict only when it is exceeded.

        The budget belongs to the token, not to a connection: every process using one token shares it,
        as on Discord, while another application's token has its own.
        """
        if not self.config.enabled:
            return None
        now = self.clock.now()
        w = self._global.get(token)
        if w is None or now >= w.reset_at:
            w = self._global[token] = _Window(
                self.config.global_limit, self.config.global_window, now + self.config.global_window
            )
        w.used += 1
        if w.used <= w.limit:
            return None
        retry = max(w.reset_at - now, 0.001)
        self.limited += 1
        return Verdict(
            {
                "X-RateLimit-Global": "true",
                "X-RateLimit-Scope": "global",
                "Retry-After": str(math.ceil(retry)),
            },
            retry_after=round(retry, 3),
            is_global=True,
        )

    def check_route(self, route: str, major: str, token: str = "") -> Verdict:
        """Count a request against its route bucket (the token's own, as on Discord) and return the headers."""
        limit, per = self.config.routes.get(route, self.config.default_route)
        now = self.clock.now()
        key = (token, route, major)
        w = self._windows.get(key)
        if w is None or now >= w.reset_at or w.limit != limit:
            w = self._windows[key] = _Window(limit, per, now + per)
        reset_after = max(w.reset_at - now, 0.0)
        headers = {
            "X-RateLimit-Limit": str(w.limit),
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Reset": f"{self.clock.wall() + reset_after:.3f}",
            "X-RateLimit-Bucket": bucket_hash(route),
        }
        if self.config.enabled and w.used >= w.limit:
            self.limited += 1
            headers["X-RateLimit-Remaining"] = "0"
            headers["X-RateLimit-Scope"] = "user"
            headers["Retry-After"] = str(math.ceil(reset_after))
            return Verdict(headers, retry_after=round(max(reset_after, 0.001), 3))
        w.used += 1
        headers["X-RateLimit-Remaining"] = str(max(w.limit - w.used, 0))
        return Verdict(headers)

    def note_status(self, status: int, *, shared_scope: bool = False) -> None:
        """Count 401, 403 and 429 (but not shared-scope 429s), as Discord's ban threshold does."""
        if status in (401, 403) or (status == 429 and not shared_scope):
            self._invalid.append(self.clock.now())

    def invalid_requests(self) -> int:
        """Invalid requests within Discord's counting window (10 minutes by default)."""
        horizon = self.clock.now() - self.config.invalid_window
        while self._invalid and self._invalid[0] < horizon:
            self._invalid.popleft()
        return len(self._invalid)

    def would_be_banned(self) -> bool:
        return self.invalid_requests() >= self.config.invalid_ban_threshold
