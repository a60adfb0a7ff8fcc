"""Which feeds /feeds refresh may fetch now: never one whose site asked us to wait or that is backing off."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.feeds.refresh import Held, held
from bot.feeds.schedule import FeedHealth, after_failure, after_success
from db.feeds import Feed

NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)
INTERVAL = timedelta(minutes=10)
URL = "https://kdramadispatch.example/feed/"
FETCHED = NOW - timedelta(minutes=2)


def feed_after(next_due: datetime, *, status: int = 200, failures: int = 0) -> Feed:
    return Feed(
        id=7,
        url=URL,
        title="K-Drama Dispatch",
        etag=None,
        last_modified=None,
        last_fetch_at=FETCHED,
        last_status=status,
        last_error="HTTP 429" if failures else None,
        next_due_at=next_due,
        consecutive_failures=failures,
        failing_since=FETCHED if failures else None,
        paused_reason=None,
        pause_announced=False,
    )


def test_a_feed_on_its_regular_slot_is_fetched_now() -> None:
    """A healthy feed whose next check is just its slot in the interval is refreshed at once."""
    plan = after_success(URL, FeedHealth(), now=FETCHED, interval=INTERVAL)
    assert plan.next_due is not None and plan.next_due > NOW
    assert held(feed_after(plan.next_due), now=NOW, interval=INTERVAL) is None


@pytest.mark.parametrize(("retry_after", "max_age"), [(3600.0, None), (None, 7200.0)])
def test_a_feed_whose_site_asked_for_a_longer_wait_keeps_it(retry_after: float | None, max_age: float | None) -> None:
    """A success that came with Retry-After or a long max-age keeps its date, and the site is named as the reason."""
    plan = after_success(URL, FeedHealth(), now=FETCHED, interval=INTERVAL, retry_after=retry_after, max_age=max_age)
    assert plan.next_due is not None
    assert held(feed_after(plan.next_due), now=NOW, interval=INTERVAL) == Held(
        7, URL, "K-Drama Dispatch", plan.next_due, site_asked=True, failures=0
    )


@pytest.mark.parametrize(
    ("status", "retry_after", "site_asked"), [(429, 3600.0, True), (503, None, True), (500, None, False)]
)
def test_a_failed_feed_waits_for_its_backoff(status: int, retry_after: float | None, site_asked: bool) -> None:
    """After a 429, a 503 or a 500 the feed waits for its next try; a 429 or 503 is the site asking."""
    plan = after_failure(
        URL,
        FeedHealth(),
        now=FETCHED,
        status=status,
        reason=f"HTTP {status}",
        interval=INTERVAL,
        retry_after=retry_after,
    )
    assert plan.next_due is not None
    found = held(feed_after(plan.next_due, status=status, failures=1), now=NOW, interval=INTERVAL)
    assert found is not None and found.until == plan.next_due
    assert (found.site_asked, found.failures) == (site_asked, 1)


def test_a_wait_that_is_over_or_a_paused_feed_holds_nothing() -> None:
    """A backoff already past is fetched; a paused feed is left to /feeds resume, not listed as waiting."""
    past = feed_after(NOW - timedelta(seconds=1), status=500, failures=2)
    assert held(past, now=NOW, interval=INTERVAL) is None
    paused = replace(feed_after(NOW + timedelta(hours=1), status=500, failures=9), paused_reason="gone")
    assert held(paused, now=NOW, interval=INTERVAL) is None
