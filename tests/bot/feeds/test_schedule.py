"""Schedule math: feeds are spread out, polite to servers, and paused when they are dead."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.feeds.schedule import (
    MAX_BACKOFF,
    NOT_FOUND_LIMIT,
    PAUSE_AFTER_FAILING,
    FeedHealth,
    after_failure,
    after_success,
    backoff_bounds,
    describe,
    first_due,
    next_slot,
    poll_offset,
    resume,
)

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
INTERVAL = timedelta(minutes=15)
URL = "https://kdramadispatch.example/feed/"


def test_a_hundred_feeds_are_spread_across_the_interval() -> None:
    """Feeds are not fetched in one burst: their slots fall into every part of the interval."""
    offsets = [poll_offset(f"https://site{i}.example/feed", INTERVAL) for i in range(100)]
    assert all(timedelta(0) <= offset < INTERVAL for offset in offsets)
    quarters = {int(offset / (INTERVAL / 4)) for offset in offsets}
    assert quarters == {0, 1, 2, 3}
    assert len(set(offsets)) > 90


def test_a_feeds_slot_is_stable_across_restarts() -> None:
    """The same URL gets the same slot every time, so restarts do not reshuffle polling."""
    assert poll_offset(URL, INTERVAL) == poll_offset(URL, INTERVAL)
    due = first_due(URL, NOW, INTERVAL)
    assert NOW <= due < NOW + INTERVAL
    assert next_slot(URL, due, INTERVAL) == due
    assert next_slot(URL, due + timedelta(seconds=1), INTERVAL) == due + INTERVAL


def test_after_success_the_next_check_is_about_one_interval_later() -> None:
    """A healthy feed is checked once per interval, at its own slot."""
    plan = after_success(URL, FeedHealth(consecutive_failures=2, failing_since=NOW), now=NOW, interval=INTERVAL)
    assert plan.next_due is not None
    assert NOW + INTERVAL / 2 <= plan.next_due < NOW + INTERVAL * 1.5
    assert plan.health == FeedHealth()
    assert not plan.paused
    assert plan.note.startswith("next check in")


@pytest.mark.parametrize(
    ("retry_after", "max_age", "at_least"),
    [
        (None, 3600.0, timedelta(hours=1)),
        (7200.0, None, timedelta(hours=2)),
        (None, 10 * 86400.0, timedelta(hours=24)),
    ],
)
def test_server_cache_hints_are_lower_bounds(
    retry_after: float | None, max_age: float | None, at_least: timedelta
) -> None:
    """Cache-Control max-age and Retry-After delay the next check (capped at a day)."""
    plan = after_success(URL, FeedHealth(), now=NOW, interval=INTERVAL, retry_after=retry_after, max_age=max_age)
    assert plan.next_due is not None
    assert at_least <= plan.next_due - NOW <= at_least + INTERVAL
    assert "the server asked us to wait" in plan.note


def test_backoff_doubles_with_jitter_bounds_and_a_cap() -> None:
    """Each failure doubles the wait (±20 %), up to a few hours."""
    assert backoff_bounds(1, INTERVAL) == (INTERVAL * 0.8, INTERVAL * 1.2)
    assert backoff_bounds(3, INTERVAL) == (INTERVAL * 4 * 0.8, INTERVAL * 4 * 1.2)
    assert backoff_bounds(50, INTERVAL) == (MAX_BACKOFF * 0.8, MAX_BACKOFF * 1.2)


def test_failures_back_off_and_say_why() -> None:
    """A failing feed is retried later each time, within the jitter bounds, with a readable note."""
    rng = random.Random(5)
    health = FeedHealth()
    delays = []
    for _ in range(4):
        plan = after_failure(URL, health, now=NOW, status=500, reason="HTTP 500", interval=INTERVAL, rng=rng)
        assert plan.next_due is not None
        delays.append(plan.next_due - NOW)
        health = plan.health
    low, high = backoff_bounds(4, INTERVAL)
    assert low <= delays[-1] <= high
    assert delays == sorted(delays)
    assert health.consecutive_failures == 4
    assert plan.note.startswith("4th failure in a row (HTTP 500); retrying in")


def test_retry_after_is_honoured_on_429() -> None:
    """A 429 with Retry-After is not retried before the server allows it."""
    plan = after_failure(
        URL, FeedHealth(), now=NOW, status=429, reason="HTTP 429", retry_after=3600, rng=random.Random(1)
    )
    assert plan.next_due is not None
    assert plan.next_due - NOW >= timedelta(hours=1)


def test_410_gone_pauses_the_feed_at_once() -> None:
    """A feed the site removed for good is paused on the first 410, with the reason for /feeds status."""
    plan = after_failure(URL, FeedHealth(), now=NOW, status=410, reason="HTTP 410 Gone")
    assert plan.paused
    assert plan.next_due is None
    assert plan.paused_reason is not None
    assert "410 Gone" in plan.paused_reason


def test_404_pauses_only_when_it_persists() -> None:
    """A single 404 is retried (sites hiccup); a 404 on several checks in a row pauses the feed."""
    health = FeedHealth()
    for attempt in range(1, NOT_FOUND_LIMIT + 1):
        plan = after_failure(URL, health, now=NOW, status=404, reason="HTTP 404", rng=random.Random(attempt))
        health = plan.health
        assert plan.paused == (attempt == NOT_FOUND_LIMIT)
    assert plan.paused_reason == f"the feed answered 404 Not Found on {NOT_FOUND_LIMIT} checks in a row"


def test_a_404_streak_is_broken_by_another_error() -> None:
    """404, 500, 404 is not a persistent 404."""
    health = FeedHealth(not_found_streak=NOT_FOUND_LIMIT - 1, consecutive_failures=2, failing_since=NOW)
    health = after_failure(URL, health, now=NOW, status=500, reason="HTTP 500", rng=random.Random(2)).health
    plan = after_failure(URL, health, now=NOW, status=404, reason="HTTP 404", rng=random.Random(3))
    assert not plan.paused


def test_a_feed_failing_for_days_is_paused() -> None:
    """After three days of uninterrupted failures the feed is paused, naming the last error."""
    started = NOW - PAUSE_AFTER_FAILING
    health = FeedHealth(consecutive_failures=20, failing_since=started)
    plan = after_failure(URL, health, now=NOW, status=None, reason="timeout", rng=random.Random(4))
    assert plan.paused
    assert plan.paused_reason == "the feed has failed for 3 days (last error: timeout)"
    younger = FeedHealth(consecutive_failures=20, failing_since=NOW - PAUSE_AFTER_FAILING + timedelta(hours=1))
    assert not after_failure(URL, younger, now=NOW, status=None, reason="timeout", rng=random.Random(4)).paused


def test_resuming_starts_from_a_clean_slate() -> None:
    """A moderator re-enabling a paused feed gets it checked at its next slot with no failure history."""
    plan = resume(URL, now=NOW, interval=INTERVAL)
    assert plan.health == FeedHealth()
    assert plan.next_due is not None
    assert NOW <= plan.next_due < NOW + INTERVAL


@pytest.mark.parametrize(
    ("delay", "text"),
    [
        (timedelta(seconds=45), "45 s"),
        (timedelta(minutes=12), "12 min"),
        (timedelta(hours=3, minutes=20), "3 h 20 min"),
        (timedelta(hours=2), "2 h"),
        (timedelta(days=3), "3 days"),
    ],
)
def test_durations_read_naturally(delay: timedelta, text: str) -> None:
    """Status lines say "12 min", not "720.0 seconds"."""
    assert describe(delay) == text
