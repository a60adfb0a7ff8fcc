"""The moments an exact release date is worth marking on the pinned message.

A window ("early December 2026") has no moment to count down to, so it has no milestones except the day
after it ends, when the message should admit that the window passed with no confirmed date. An exact date
has three: a week before, a day before and the release itself ("Out now"). Everything is computed from the
stored claim and the time, so a restarted bot finds the next milestone without any timer of its own.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from bot.release.claims import Precision, ReleaseClaim

log = logging.getLogger(__name__)

# Netflix releases at midnight Pacific time: 08:00 UTC in winter, 07:00 in summer. The later of the two is
# used all year, so "Out now" is never shown before the episodes are there.
RELEASE_TIME_UTC = time(8, 0, tzinfo=UTC)
WEEK = timedelta(days=7)
DAY = timedelta(days=1)


class Stage(StrEnum):
    """Where the countdown stands; the pinned message's text changes with it."""

    UNKNOWN = "unknown"  # nothing is known at all
    WINDOW = "window"  # a window, not a day: nothing to count down to
    PASSED = "passed"  # the window ended with no confirmed date
    AHEAD = "ahead"  # an exact date more than a week away
    WEEK = "week"  # at most a week to go
    DAY = "day"  # at most a day to go
    OUT = "out"  # released


def release_moment(day: date) -> datetime:
    """The instant a release on ``day`` is out everywhere (aware, UTC)."""
    return datetime.combine(day, RELEASE_TIME_UTC)


def _window_over(claim: ReleaseClaim) -> datetime:
    return datetime.combine(claim.end + DAY, time(0, 0, tzinfo=UTC))


def _is_day(claim: ReleaseClaim) -> bool:
    return claim.precision == Precision.EXACT or claim.start == claim.end


def stage(claim: ReleaseClaim | None, now: datetime) -> Stage:
    """The stage the countdown is in at ``now`` (an aware datetime)."""
    _require_aware(now)
    if claim is None:
        return Stage.UNKNOWN
    if not _is_day(claim):
        return Stage.PASSED if now >= _window_over(claim) else Stage.WINDOW
    left = release_moment(claim.start) - now
    if left <= timedelta(0):
        return Stage.OUT
    if left <= DAY:
        return Stage.DAY
    if left <= WEEK:
        return Stage.WEEK
    return Stage.AHEAD


def next_milestone(claim: ReleaseClaim | None, now: datetime) -> datetime | None:
    """The next instant after ``now`` at which ``stage`` changes, or None when it never will again."""
    _require_aware(now)
    if claim is None:
        return None
    if not _is_day(claim):
        over = _window_over(claim)
        return over if over > now else None
    out = release_moment(claim.start)
    upcoming = [moment for moment in (out - WEEK, out - DAY, out) if moment > now]
    return upcoming[0] if upcoming else None


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("the countdown works with aware datetimes only")
