"""Which of a server's feeds ``/feeds refresh`` may fetch now, and which must wait for the site or the backoff.

A refresh moves a feed's next check forward to now, but only a check the watcher itself planned (the feed's slot
in the poll interval). A site that answered 429 with ``Retry-After``, or asked for a longer wait on a success, and
a feed backing off after failures, keep their date: a moderator pressing refresh must not make Marquee hammer a
site that asked it to wait, and a server full of failing feeds must not turn refresh into a retry storm.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.feeds.schedule import next_slot
from db.feeds import Feed

SITE_ASKED_STATUSES = frozenset({429, 503})  # the answers that come with Retry-After
SLACK = timedelta(seconds=1)  # stored times are exact, but a planned slot is compared, not recomputed


@dataclass(frozen=True, slots=True)
class Held:
    """A feed refresh leaves alone: its next check, and whether the site asked for the wait (or it is backing off
    after ``failures`` failed checks in a row)."""

    feed_id: int
    url: str
    title: str
    until: datetime
    site_asked: bool
    failures: int


def held(feed: Feed, *, now: datetime, interval: timedelta) -> Held | None:
    """Why ``feed`` must not be fetched before its ``next_due_at``; ``None`` when a refresh may fetch it now.

    Paused feeds are neither: refresh never checks them (``/feeds resume`` does).
    """
    if feed.paused_reason is not None or feed.next_due_at <= now:
        return None
    if feed.consecutive_failures > 0:
        site_asked = feed.last_status in SITE_ASKED_STATUSES
        return Held(feed.id, feed.url, feed.title, feed.next_due_at, site_asked, feed.consecutive_failures)
    if feed.last_fetch_at is None:
        return None
    # After a success the watcher waits at least half an interval, then takes the feed's slot; a later date
    # means the site asked for more (Retry-After or Cache-Control max-age).
    planned = next_slot(feed.url, feed.last_fetch_at + interval / 2, interval)
    if feed.next_due_at > planned + SLACK:
        return Held(feed.id, feed.url, feed.title, feed.next_due_at, True, 0)
    return None
