"""When each feed is fetched next, and when the watcher stops trying: pure date arithmetic.

Each URL gets a stable slot inside the poll interval (from a hash of the URL), so a hundred feeds are
spread over the interval instead of fetched in a burst, and a restart keeps the same rhythm. Failures back
off exponentially with jitter; a feed that keeps failing for days, answers 410 Gone, or answers 404 on
several checks in a row is paused with a reason moderators can read in ``/feeds status``.
"""

from __future__ import annotations

import hashlib
import logging
import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

log = logging.getLogger(__name__)

DEFAULT_INTERVAL = timedelta(minutes=15)
MIN_INTERVAL = timedelta(minutes=1)
MAX_BACKOFF = timedelta(hours=6)
MAX_SERVER_WAIT = timedelta(hours=24)  # a Retry-After or max-age longer than this is not obeyed in full
PAUSE_AFTER_FAILING = timedelta(days=3)
NOT_FOUND_LIMIT = 3
JITTER = 0.2  # backoff delays are drawn from ±20 % around the exponential value

_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def describe(delay: timedelta) -> str:
    """A short human duration: "45 s", "12 min", "3 h 20 min", "2 days"."""
    seconds = max(0, round(delay.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{round(seconds / 60)} min"
    if seconds < 2 * 86400:
        hours, minutes = divmod(round(seconds / 60), 60)
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{round(seconds / 86400)} days"


def poll_offset(url: str, interval: timedelta) -> timedelta:
    """The URL's fixed position inside each interval, the same on every run."""
    step = max(1, int(interval.total_seconds()))
    digest = int.from_bytes(hashlib.sha256(url.encode("utf-8")).digest()[:8], "big")
    return timedelta(seconds=digest % step)


def next_slot(url: str, not_before: datetime, interval: timedelta) -> datetime:
    """The first of the URL's slots at or after ``not_before``."""
    step = max(1, int(interval.total_seconds()))
    offset = poll_offset(url, interval).total_seconds()
    elapsed = (not_before - _EPOCH).total_seconds() - offset
    cycles = -(-elapsed // step)  # ceiling division
    return _EPOCH + timedelta(seconds=offset + cycles * step)


def first_due(url: str, now: datetime, interval: timedelta = DEFAULT_INTERVAL) -> datetime:
    """When a newly added (or restarted) feed is first polled: its next slot."""
    return next_slot(url, now, interval)


def backoff_bounds(failures: int, interval: timedelta) -> tuple[timedelta, timedelta]:
    """The range the delay after the ``failures``-th consecutive failure is drawn from.

    Doubling from one interval, capped at ``MAX_BACKOFF``; the jitter keeps feeds on one struggling host
    from retrying in lockstep.
    """
    base = min(interval * (2 ** max(0, min(failures - 1, 20))), MAX_BACKOFF)
    return base * (1 - JITTER), base * (1 + JITTER)


@dataclass(frozen=True, slots=True)
class FeedHealth:
    """What the scheduler remembers about a feed between fetches (stored with the feed)."""

    consecutive_failures: int = 0
    failing_since: datetime | None = None
    not_found_streak: int = 0
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """The decision after one fetch: when to fetch next (``None`` when paused), the new health, and why."""

    next_due: datetime | None
    health: FeedHealth
    paused_reason: str | None
    note: str

    @property
    def paused(self) -> bool:
        return self.paused_reason is not None


def _server_wait(retry_after: float | None, max_age: float | None) -> timedelta:
    waits = [timedelta(seconds=s) for s in (retry_after, max_age) if s is not None and s > 0]
    return min(max(waits, default=timedelta(0)), MAX_SERVER_WAIT)


def after_success(
    url: str,
    health: FeedHealth,
    *,
    now: datetime,
    interval: timedelta = DEFAULT_INTERVAL,
    retry_after: float | None = None,
    max_age: float | None = None,
) -> Plan:
    """Plan after a 200 or 304: back to the URL's regular slot, no sooner than the server asked."""
    wait = max(_server_wait(retry_after, max_age), interval / 2)
    due = next_slot(url, now + wait, interval)
    note = f"next check in {describe(due - now)}"
    if wait > interval:
        note += f" (the server asked us to wait {describe(wait)})"
    return Plan(due, FeedHealth(), None, note)


def after_failure(
    url: str,
    health: FeedHealth,
    *,
    now: datetime,
    status: int | None,
    reason: str,
    interval: timedelta = DEFAULT_INTERVAL,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> Plan:
    """Plan after a failed fetch (``status`` is the HTTP status, ``None`` for network-level failures)."""
    failures = health.consecutive_failures + 1
    since = health.failing_since or now
    not_found = health.not_found_streak + 1 if status == 404 else 0
    updated = replace(
        health, consecutive_failures=failures, failing_since=since, not_found_streak=not_found, last_error=reason
    )
    if status == 410:
        return Plan(None, updated, "the feed answered 410 Gone: the site removed it for good", "paused")
    if not_found >= NOT_FOUND_LIMIT:
        why = f"the feed answered 404 Not Found on {not_found} checks in a row"
        return Plan(None, updated, why, "paused")
    if now - since >= PAUSE_AFTER_FAILING:
        why = f"the feed has failed for {describe(now - since)} (last error: {reason})"
        return Plan(None, updated, why, "paused")
    low, high = backoff_bounds(failures, interval)
    jitter = rng or random.Random()  # noqa: S311 - spreading retries, not security
    delay = timedelta(seconds=jitter.uniform(low.total_seconds(), high.total_seconds()))
    delay = max(delay, _server_wait(retry_after, None))
    ordinal = {1: "1st", 2: "2nd", 3: "3rd"}.get(failures, f"{failures}th")
    note = f"{ordinal} failure in a row ({reason}); retrying in {describe(delay)}"
    return Plan(now + delay, updated, None, note)


def resume(url: str, *, now: datetime, interval: timedelta = DEFAULT_INTERVAL) -> Plan:
    """Plan for a paused feed a moderator re-enables: a clean slate and its next slot."""
    due = next_slot(url, now, interval)
    return Plan(due, FeedHealth(), None, f"resumed; next check in {describe(due - now)}")
